package vn.zalogateway.common;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Group commit: items that arrive while earlier ones are being written wait, and go together in the next
 * batch, so many concurrent requests share one transaction instead of paying one each. An item that finds a
 * writer free goes at once: nothing waits for company when the load is low. Each caller's {@code Uni} ends
 * when its own batch has committed, on the caller's Vert.x context.
 * <p>
 * When a batch fails for a reason other than {@code failsAll} (the database gone: every item would fail
 * alike), its items are written again one by one, so one bad item fails alone and never its batch-mates.
 */
public final class GroupCommit<T> {

    private final int largestBatch;
    private final int writers;
    private final Function<List<T>, Uni<Void>> writeBatch;
    private final Function<T, Uni<Void>> writeOne;
    private final Predicate<Throwable> failsAll;
    private final ArrayDeque<Waiting<T>> queue = new ArrayDeque<>();
    private int writing;

    /**
     * @param largestBatch the most items one transaction takes
     * @param writers      batches written at once (one can fill while another commits)
     */
    public GroupCommit(int largestBatch, int writers, Function<List<T>, Uni<Void>> writeBatch,
            Function<T, Uni<Void>> writeOne, Predicate<Throwable> failsAll) {
        if (largestBatch < 1 || writers < 1) {
            throw new IllegalArgumentException("largestBatch and writers must be at least 1");
        }
        this.largestBatch = largestBatch;
        this.writers = writers;
        this.writeBatch = writeBatch;
        this.writeOne = writeOne;
        this.failsAll = failsAll;
    }

    /** Ends when the item is committed (or fails with why it could not be). */
    public Uni<Void> submit(T item) {
        return Uni.createFrom().emitter(emitter -> {
            List<Waiting<T>> batch;
            synchronized (this) {
                queue.add(new Waiting<>(item, emitter, Vertx.currentContext()));
                batch = nextBatch();
            }
            if (batch != null) {
                write(batch);
            }
        });
    }

    /** Items waiting for a writer. */
    public synchronized int waiting() {
        return queue.size();
    }

    /** The next batch if a writer is free; called holding this object's lock. */
    private List<Waiting<T>> nextBatch() {
        if (writing >= writers || queue.isEmpty()) {
            return null;
        }
        writing++;
        List<Waiting<T>> batch = new ArrayList<>(Math.min(largestBatch, queue.size()));
        while (batch.size() < largestBatch && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private void write(List<Waiting<T>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(waiting -> items.add(waiting.item()));
        Uni<Void> written;
        try {
            written = writeBatch.apply(items);
        } catch (RuntimeException failure) {
            written = Uni.createFrom().failure(failure);
        }
        written.subscribe().with(
                ignored -> {
                    batch.forEach(Waiting::succeed);
                    done();
                },
                failure -> {
                    if (failsAll.test(failure)) {
                        batch.forEach(waiting -> waiting.fail(failure));
                        done();
                    } else {
                        oneByOne(batch);
                    }
                });
    }

    /** After a failed batch: each item in a transaction of its own, one after the other. */
    private void oneByOne(List<Waiting<T>> batch) {
        Multi.createFrom().iterable(batch)
                .onItem().transformToUniAndConcatenate(waiting -> Uni.createFrom().deferred(() -> writeOne.apply(waiting.item()))
                        .onItemOrFailure().invoke((ignored, failure) -> {
                            if (failure == null) {
                                waiting.succeed();
                            } else {
                                waiting.fail(failure);
                            }
                        })
                        .onFailure().recoverWithNull())
                .collect().last()
                .subscribe().with(ignored -> done(), ignored -> done());
    }

    private void done() {
        List<Waiting<T>> batch;
        synchronized (this) {
            writing--;
            batch = nextBatch();
        }
        if (batch != null) {
            write(batch);
        }
    }

    private record Waiting<T>(T item, UniEmitter<? super Void> emitter, Context context) {

        // The caller goes on where it came from (its request's event loop), not on the writer's.
        void succeed() {
            BackOnContext.run(context, () -> emitter.complete(null));
        }

        void fail(Throwable failure) {
            BackOnContext.run(context, () -> emitter.fail(failure));
        }
    }
}
