package dev.fhirbolt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.TxLogReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The shared look-up of the log's end: a reader is only answered by a look-up sent after it arrived, even while an
 * earlier look-up is in flight; the readers arriving meanwhile share the next look-up.
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
    static class GatedLog implements TxLog {
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
    void aReaderArrivingDuringALookupGetsTheNextOne() throws Exception {
        GatedLog log = new GatedLog();
        try (LogEnd logEnd = new LogEnd(log)) {
            log.end.set(5);
            CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 1);
            log.end.set(9); // a write acknowledged after the first look-up read the end, before the second reader
            CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            Thread.sleep(100);
            assertEquals(1, log.started.get(), "one look-up in flight at a time");
            assertFalse(second.isDone(), "the look-up in flight started before the second reader arrived");
            log.answers.release();
            assertEquals(5, first.get(10, TimeUnit.SECONDS));
            awaitStarted(log, 2);
            log.answers.release();
            assertEquals(9, second.get(10, TimeUnit.SECONDS), "the second reader saw the write before it arrived");
        }
    }

    @Test
    void readersArrivingDuringALookupShareTheNextOne() throws Exception {
        GatedLog log = new GatedLog();
        try (LogEnd logEnd = new LogEnd(log)) {
            log.end.set(3);
            CompletableFuture<Long> blocker = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 1);
            log.end.set(7);
            List<CompletableFuture<Long>> readers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                readers.add(CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS));
            }
            Thread.sleep(200);
            assertEquals(1, log.started.get());
            log.answers.release(1000);
            assertEquals(3, blocker.get(10, TimeUnit.SECONDS));
            for (CompletableFuture<Long> reader : readers) {
                assertEquals(7, reader.get(10, TimeUnit.SECONDS));
            }
            assertEquals(2, log.started.get(), "the twelve readers shared one look-up");
        }
    }

    @Test
    void withSeveralLookupsAllowedAReaderGetsOneStartedAtOnce() throws Exception {
        GatedLog log = new GatedLog();
        try (LogEnd logEnd = new LogEnd(log, 3)) {
            log.end.set(5);
            CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 1);
            log.end.set(9);
            CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 2); // started while the first is still in flight
            log.answers.release(2);
            assertEquals(9, second.get(10, TimeUnit.SECONDS));
            assertTrue(first.get(10, TimeUnit.SECONDS) >= 5);
        }
    }

    @Test
    void aFailingLogFailsTheReadersAndIsNotAskedAgainAtOnce() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        TxLog failing = new GatedLog() {
            @Override
            public long lastPosition() {
                asked.incrementAndGet();
                throw new IllegalStateException("no broker");
            }
        };
        try (LogEnd logEnd = new LogEnd(failing)) {
            IllegalStateException first = assertThrows(IllegalStateException.class,
                    () -> logEnd.fresh(Duration.ofSeconds(5)));
            long failedAt = System.nanoTime();
            assertEquals("no broker", first.getMessage());
            assertThrows(IllegalStateException.class, () -> logEnd.fresh(Duration.ofSeconds(5)));
            boolean soon = System.nanoTime() - failedAt < LogEnd.FAILURE_PAUSE.toNanos() / 2;
            assertTrue(asked.get() == 1 || !soon, "asked again within " + LogEnd.FAILURE_PAUSE);
            Thread.sleep(LogEnd.FAILURE_PAUSE.toMillis() + 50);
            assertThrows(IllegalStateException.class, () -> logEnd.fresh(Duration.ofSeconds(5)));
            assertTrue(asked.get() >= 2, "asked again after the pause");
        }
    }

    @Test
    void aReaderGivesUpWhenNoLookupAnswersInTime() throws Exception {
        GatedLog log = new GatedLog();
        try (LogEnd logEnd = new LogEnd(log)) {
            CompletableFuture<Long> stuck = CompletableFuture.supplyAsync(() -> fresh(logEnd), READERS);
            awaitStarted(log, 1);
            IllegalStateException late = assertThrows(IllegalStateException.class,
                    () -> logEnd.fresh(Duration.ofMillis(200)));
            assertTrue(late.getMessage().contains("did not answer within 200 ms"), late.getMessage());
            log.answers.release(2);
            stuck.get(10, TimeUnit.SECONDS);
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
