package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class GroupCommitTest {

    /** Batches the test commits by hand, in the order they were started. */
    final List<List<String>> batches = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Void>> commits = new CopyOnWriteArrayList<>();
    final List<String> writtenAlone = new CopyOnWriteArrayList<>();

    GroupCommit<String> groupCommit(int largestBatch, int writers) {
        return new GroupCommit<>(largestBatch, writers, items -> {
            batches.add(List.copyOf(items));
            CompletableFuture<Void> commit = new CompletableFuture<>();
            commits.add(commit);
            return Uni.createFrom().completionStage(commit);
        }, item -> {
            writtenAlone.add(item);
            return item.startsWith("bad") ? Uni.createFrom().failure(new IllegalArgumentException(item)) : Uni.createFrom().voidItem();
        }, failure -> failure instanceof IllegalStateException);
    }

    static CompletableFuture<Void> submit(GroupCommit<String> group, String item) {
        return group.submit(item).subscribeAsCompletionStage();
    }

    @Test
    void aLoneItemIsWrittenAtOnceAndItsCallerAnsweredAfterTheCommit() {
        GroupCommit<String> group = groupCommit(10, 1);
        CompletableFuture<Void> answer = submit(group, "a");
        assertThat(batches).containsExactly(List.of("a"));
        assertThat(answer).isNotDone();
        commits.get(0).complete(null);
        assertThat(answer).isCompleted();
    }

    @Test
    void itemsArrivingDuringAWriteGoTogetherInTheNextBatch() {
        GroupCommit<String> group = groupCommit(10, 1);
        CompletableFuture<Void> first = submit(group, "a");
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (String item : List.of("b", "c", "d")) {
            waiting.add(submit(group, item));
        }
        assertThat(batches).hasSize(1);
        assertThat(group.waiting()).isEqualTo(3);

        commits.get(0).complete(null);
        assertThat(first).isCompleted();
        assertThat(batches).containsExactly(List.of("a"), List.of("b", "c", "d"));
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        commits.get(1).complete(null);
        assertThat(waiting).allMatch(answer -> answer.isDone() && !answer.isCompletedExceptionally());
    }

    @Test
    void aBatchHoldsAtMostTheLargestSizeAndWritersWorkSideBySide() {
        GroupCommit<String> group = groupCommit(2, 2);
        for (String item : List.of("a", "b", "c", "d", "e")) {
            submit(group, item);
        }
        assertThat(batches).containsExactly(List.of("a"), List.of("b")); // two writers, each took what was there
        commits.get(1).complete(null);
        assertThat(batches).containsExactly(List.of("a"), List.of("b"), List.of("c", "d"));
        commits.get(0).complete(null);
        assertThat(batches).last().isEqualTo(List.of("e"));
    }

    @Test
    void oneBadItemFailsAloneAndItsBatchMatesAreStillWritten() {
        GroupCommit<String> group = groupCommit(10, 1);
        CompletableFuture<Void> first = submit(group, "a");
        CompletableFuture<Void> good = submit(group, "b");
        CompletableFuture<Void> bad = submit(group, "bad c");
        CompletableFuture<Void> alsoGood = submit(group, "d");
        commits.get(0).complete(null);
        commits.get(1).completeExceptionally(new IllegalArgumentException("the batch had a bad item"));

        assertThat(first).isCompleted();
        assertThat(writtenAlone).containsExactly("b", "bad c", "d");
        assertThat(good).isCompleted();
        assertThat(alsoGood).isCompleted();
        assertThat(bad).isCompletedExceptionally();
        assertThat(bad).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .withRootCauseInstanceOf(IllegalArgumentException.class);

        CompletableFuture<Void> after = submit(group, "e"); // the writer is free again
        assertThat(batches).last().isEqualTo(List.of("e"));
        commits.get(2).complete(null);
        assertThat(after).isCompleted();
    }

    @Test
    void aFailureThatWouldFailEveryItemFailsTheBatchWithoutRetryingEachItem() {
        GroupCommit<String> group = groupCommit(10, 1);
        CompletableFuture<Void> a = submit(group, "a");
        CompletableFuture<Void> b = submit(group, "b");
        commits.get(0).completeExceptionally(new IllegalStateException("database gone"));
        assertThat(a).isCompletedExceptionally();
        assertThat(writtenAlone).isEmpty();
        commits.get(1).completeExceptionally(new IllegalStateException("database gone"));
        assertThat(b).isCompletedExceptionally();
        assertThat(writtenAlone).isEmpty();
    }

    @Test
    void aWriterThatThrowsInsteadOfFailingStillAnswersEveryCaller() {
        GroupCommit<String> group = new GroupCommit<>(10, 1, items -> {
            throw new IllegalArgumentException("thrown");
        }, item -> Uni.createFrom().voidItem(), failure -> false);
        assertThat(submit(group, "a")).isCompleted();
        assertThat(submit(group, "b")).isCompleted();
    }
}
