package vn.zalogateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** One replica's quota questions: shared while in flight, once per max-age per OA, a bounded number of OAs. */
class QuotaAsksTest {

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    final QuotaAsks asks = new QuotaAsks();
    final AtomicInteger questions = new AtomicInteger();
    CompletableFuture<Boolean> pending = new CompletableFuture<>();

    final Supplier<CompletionStage<Boolean>> ask = () -> {
        questions.incrementAndGet();
        return pending;
    };

    @Test
    void askersMeanwhileShareTheQuestionInFlight() {
        CompletionStage<Boolean> first = asks.join(1, NOW, MAX_AGE, ask);
        CompletionStage<Boolean> second = asks.join(1, NOW.plusSeconds(1), MAX_AGE, ask);
        assertThat(questions).hasValue(1);
        assertThat(asks.inFlight()).isEqualTo(1);

        pending.complete(true);
        assertThat(first.toCompletableFuture().join()).isTrue();
        assertThat(second.toCompletableFuture().join()).isTrue();
        assertThat(asks.inFlight()).isZero();
    }

    @Test
    void anOaIsAskedAtMostOncePerMaxAgeWhateverTheAnswer() {
        pending.complete(false);
        assertThat(asks.join(1, NOW, MAX_AGE, ask)).isNotNull();
        assertThat(asks.join(1, NOW.plus(MAX_AGE).minusSeconds(1), MAX_AGE, ask)).as("asked lately").isNull();
        assertThat(asks.join(2, NOW, MAX_AGE, ask)).as("another OA").isNotNull();
        assertThat(asks.join(1, NOW.plus(MAX_AGE).plusSeconds(1), MAX_AGE, ask)).as("max-age later").isNotNull();
        assertThat(questions).hasValue(3);
    }

    @Test
    void aFailedQuestionEndsForEveryoneAndCountsAsAsked() {
        CompletionStage<Boolean> first = asks.join(1, NOW, MAX_AGE, ask);
        pending.completeExceptionally(new IllegalStateException("database"));
        assertThat(first.toCompletableFuture()).isCompletedExceptionally();
        assertThat(asks.inFlight()).isZero();
        assertThat(asks.join(1, NOW.plusSeconds(10), MAX_AGE, ask)).isNull();
    }

    @Test
    void noMoreThanSoManyOasAreAskedPerMaxAge() {
        pending.complete(true);
        for (long oa = 0; oa < QuotaAsks.MOST_REMEMBERED; oa++) {
            assertThat(asks.join(oa, NOW, MAX_AGE, ask)).isNotNull();
        }
        assertThat(asks.join(-1, NOW.plusSeconds(1), MAX_AGE, ask)).as("one OA too many").isNull();
        // Once the earlier questions have aged out, there is room again.
        assertThat(asks.join(-1, NOW.plus(MAX_AGE).plusSeconds(1), MAX_AGE, ask)).isNotNull();
        assertThat(questions).hasValue(QuotaAsks.MOST_REMEMBERED + 1);
    }
}
