package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import vn.zalogateway.message.MessageStatus;

class BatchProgressTest {

    static Map<MessageStatus, Integer> counts(Object... statusAndCount) {
        Map<MessageStatus, Integer> counts = new EnumMap<>(MessageStatus.class);
        for (int i = 0; i < statusAndCount.length; i += 2) {
            counts.put((MessageStatus) statusAndCount[i], (Integer) statusAndCount[i + 1]);
        }
        return counts;
    }

    @Test
    void deliveredFailedAndCancelledAreDoneTheRestIsUnderWay() {
        BatchProgress progress = BatchProgress.of(counts(MessageStatus.ACCEPTED, 2, MessageStatus.SUBMITTED, 3, MessageStatus.SENT, 1,
                MessageStatus.DELIVERED, 4, MessageStatus.FAILED, 1, MessageStatus.CANCELLED, 1, MessageStatus.UNCONFIRMED, 1), 13);
        assertThat(progress.total()).isEqualTo(13);
        assertThat(progress.done()).isEqualTo(6);
        assertThat(progress.percent()).isEqualTo(46);
        assertThat(progress.cancellable()).isTrue();
        assertThat(progress.finished()).isFalse();
        assertThat(progress.counts()).extracting(ConsoleQueries.StatusCount::status).containsExactly("ACCEPTED", "SCHEDULED", "SUBMITTED",
                "SENT", "DELIVERED", "FAILED", "UNCONFIRMED", "CANCELLED");
        assertThat(progress.counts()).extracting(ConsoleQueries.StatusCount::count).containsExactly(2L, 0L, 3L, 1L, 4L, 1L, 1L, 1L);
    }

    @Test
    void nothingWaitingCannotBeCancelledAndAllFinalIsFinished() {
        BatchProgress progress = BatchProgress.of(counts(MessageStatus.DELIVERED, 3, MessageStatus.CANCELLED, 2), 5);
        assertThat(progress.cancellable()).isFalse();
        assertThat(progress.finished()).isTrue();
        assertThat(progress.percent()).isEqualTo(100);
    }

    @Test
    void purgedMessagesCountAsDoneAndAnEmptyBatchIsFinished() {
        BatchProgress purged = BatchProgress.of(counts(MessageStatus.SCHEDULED, 1), 4);
        assertThat(purged.total()).isEqualTo(4);
        assertThat(purged.done()).isEqualTo(3);
        assertThat(purged.cancellable()).isTrue();
        BatchProgress empty = BatchProgress.of(Map.of(), 0);
        assertThat(empty.finished()).isTrue();
        assertThat(empty.percent()).isEqualTo(100);
        assertThat(BatchProgress.of(null, 0).counts()).hasSize(MessageStatus.values().length);
        assertThat(BatchProgress.percent(1, 3)).isEqualTo(33);
        assertThat(BatchProgress.percent(0, 0)).isEqualTo(100);
    }
}
