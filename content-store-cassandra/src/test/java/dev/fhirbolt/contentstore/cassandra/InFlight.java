package dev.fhirbolt.contentstore.cassandra;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Keeps up to a number of asynchronous operations running from one client thread, as a busy server node would. */
final class InFlight {

    private final int limit;
    private final Semaphore permits;

    InFlight(int limit) {
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    /** Starts the operation once fewer than the limit are running; {@code done} sees its result and failure. */
    <T> void start(Supplier<CompletableFuture<T>> operation, BiConsumer<T, Throwable> done) {
        permits.acquireUninterruptibly();
        CompletableFuture<T> future;
        try {
            future = operation.get();
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        future.whenComplete((value, failure) -> {
            try {
                done.accept(value, failure);
            } finally {
                permits.release();
            }
        });
    }

    /** Waits until every started operation has finished. */
    void drain(long seconds) throws InterruptedException {
        if (!permits.tryAcquire(limit, seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("operations still running after " + seconds + " s");
        }
        permits.release(limit);
    }
}
