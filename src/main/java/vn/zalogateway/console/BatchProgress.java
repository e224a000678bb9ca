package vn.zalogateway.console;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import vn.zalogateway.message.MessageStatus;

/**
 * How far a batch has come, as its page shows it: how many of its messages are in each status (every status, in the
 * order they move), how many of them are final ({@code done}: DELIVERED, FAILED or CANCELLED) out of {@code total} (the
 * messages it accepted), and whether any can still be taken back. Plain code: the counts come from the batch package's
 * own query ({@code BatchService#get}).
 */
public record BatchProgress(List<ConsoleQueries.StatusCount> counts, int total, int done, int percent, boolean cancellable) {

    /** The statuses a message never leaves. */
    static final Set<MessageStatus> FINAL = EnumSet.of(MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.CANCELLED);
    /** The statuses from which a cancel takes a message back. */
    static final Set<MessageStatus> WAITING = EnumSet.of(MessageStatus.ACCEPTED, MessageStatus.SCHEDULED);

    /**
     * The progress of a batch that accepted {@code accepted} messages, from its counts per status (a status missing
     * counts 0). Messages purged since count as done: the total stays what the batch accepted.
     */
    public static BatchProgress of(Map<MessageStatus, Integer> counts, int accepted) {
        List<ConsoleQueries.StatusCount> listed = new ArrayList<>();
        int done = 0;
        int waiting = 0;
        int present = 0;
        for (MessageStatus status : MessageStatus.values()) {
            int count = counts == null ? 0 : counts.getOrDefault(status, 0);
            listed.add(new ConsoleQueries.StatusCount(status.name(), count));
            present += count;
            done += FINAL.contains(status) ? count : 0;
            waiting += WAITING.contains(status) ? count : 0;
        }
        int total = Math.max(accepted, present);
        done += total - present; // purged: long done
        int percent = total == 0 ? 100 : (int) (100L * done / total);
        return new BatchProgress(List.copyOf(listed), total, done, percent, waiting > 0);
    }

    /** Every message final (a batch that accepted none is finished too). */
    public boolean finished() {
        return done == total;
    }

    /** The list's share: {@code done / total} of a row (no counts per status there). */
    public static int percent(long done, int total) {
        return total == 0 ? 100 : (int) Math.min(100, 100L * done / total);
    }
}
