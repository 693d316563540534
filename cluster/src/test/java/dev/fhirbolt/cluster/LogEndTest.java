package dev.fhirbolt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.TxLogReader;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The shared look-up of the log's end: a reader is only answered by a look-up that started after it arrived, even
 * while an earlier look-up is in flight, and a new look-up starts for it at once instead of after the earlier one.
 * The log here is a stand-in whose end and look-ups the test controls (a look-up answers when the test lets it).
 */
class LogEndTest {

    /** A thread per waiting reader (the common pool may have one thread on a small machine). */
    static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "log-end-test-reader");
        t.setDaemon(true);
        return t;
    });

    /** Only {@link #lastPosition()} is used: it reads the end when it starts, then waits for a permit. */
    static final class GatedLog implements TxLog {
        final AtomicLong end = new AtomicLong(-1);
        final AtomicInteger started = new AtomicInteger();
        final Semaphore answers = new Semaphore(0);

        @Override
        public long lastPosition() {
            long seen = end.get();
            started.incrementAndGet();
            try {
                answers.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return seen;
        }

        @Override
        public int maxRecordBytes() {
            return 1024;
        }

        @Override
        public CompletableFuture<Long> append(byte[] record) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TxLogReader read(long after) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aReaderArrivingDuringALookupGetsALaterOneStartedAtOnce() throws Exception {
        GatedLog log = new GatedLog();
        try (LogEnd logEnd = new LogEnd(log)) {
            log.end.set(5);
            CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 1);
            log.end.set(9); // a write acknowledged after the first look-up read the end, before the second reader
            CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 2); // started while the first is still in flight
            log.answers.release(); // whichever look-up answers first
            log.answers.release();
            assertEquals(9, second.get(10, TimeUnit.SECONDS), "the second reader saw the write before it arrived");
            assertTrue(first.get(10, TimeUnit.SECONDS) >= 5);
        }
    }

    @Test
    void readersArrivingTogetherShareOneLookup() throws Exception {
        GatedLog log = new GatedLog();
        try (LogEnd logEnd = new LogEnd(log)) {
            log.end.set(3);
            CompletableFuture<Long> blocker = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 1);
            CompletableFuture<?>[] readers = new CompletableFuture<?>[LogEnd.LOOKUPS * 4];
            for (int i = 0; i < readers.length; i++) {
                readers[i] = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            }
            Thread.sleep(200);
            // every reader after the first is served by a look-up that started after it: at most LOOKUPS at once
            assertTrue(log.started.get() <= LogEnd.LOOKUPS, "look-ups in flight: " + log.started.get());
            log.answers.release(1000);
            CompletableFuture.allOf(readers).get(10, TimeUnit.SECONDS);
            assertEquals(3, blocker.get(10, TimeUnit.SECONDS));
            assertTrue(log.started.get() < readers.length, "look-ups: " + log.started.get());
        }
    }

    private static long fresh(LogEnd logEnd) {
        try {
            return logEnd.fresh(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitStarted(GatedLog log, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.started.get() < n) {
            assertTrue(System.nanoTime() < deadline, "look-up " + n + " did not start");
            Thread.sleep(5);
        }
    }
}
