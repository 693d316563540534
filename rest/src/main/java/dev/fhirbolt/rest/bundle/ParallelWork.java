package dev.fhirbolt.rest.bundle;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs the independent, CPU-bound steps of a large transaction (encoding each resource and computing its index
 * entries) on every core: the calling thread works through the items and helpers from a small shared pool join in
 * when they are free. A helper that has not started by the time the caller is done is skipped, so a busy pool never
 * delays a transaction; results keep their positions, and every failure is kept in its slot for the caller to report
 * in entry order.
 */
final class ParallelWork {

    /** Below this many items the work is done by the calling thread alone. */
    static final int MIN_ITEMS = 32;
    private static final int CHUNK = 8;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService HELPERS = Executors.newFixedThreadPool(Math.max(1, CORES - 1),
            Thread.ofPlatform().name("fhirbolt-tx-worker-", 0).daemon(true).factory());

    private ParallelWork() {
    }

    /** What became of one item: its value or its failure. */
    record Result<T>(T value, RuntimeException failure) {
    }

    static <T> Result<T>[] run(int count, IntFunction<T> work) {
        @SuppressWarnings("unchecked")
        Result<T>[] results = new Result[count];
        if (count < MIN_ITEMS || CORES < 2) {
            drain(new AtomicInteger(), count, work, results);
            return results;
        }
        AtomicInteger next = new AtomicInteger();
        int helpers = Math.min(CORES - 1, count / MIN_ITEMS);
        AtomicBoolean[] claimed = new AtomicBoolean[helpers];
        CountDownLatch done = new CountDownLatch(helpers);
        for (int h = 0; h < helpers; h++) {
            AtomicBoolean mine = new AtomicBoolean();
            claimed[h] = mine;
            HELPERS.execute(() -> {
                if (!mine.compareAndSet(false, true)) {
                    return; // the caller finished without this helper
                }
                try {
                    drain(next, count, work, results);
                } finally {
                    done.countDown();
                }
            });
        }
        drain(next, count, work, results);
        for (AtomicBoolean helper : claimed) {
            if (helper.compareAndSet(false, true)) {
                done.countDown(); // never started: nothing to wait for
            }
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while encoding a transaction", e);
        }
        return results;
    }

    private static <T> void drain(AtomicInteger next, int count, IntFunction<T> work, Result<T>[] results) {
        while (true) {
            int start = next.getAndAdd(CHUNK);
            if (start >= count) {
                return;
            }
            for (int i = start; i < Math.min(count, start + CHUNK); i++) {
                try {
                    results[i] = new Result<>(work.apply(i), null);
                } catch (RuntimeException e) {
                    results[i] = new Result<>(null, e);
                }
            }
        }
    }
}
