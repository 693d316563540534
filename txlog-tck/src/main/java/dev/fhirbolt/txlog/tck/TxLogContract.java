package dev.fhirbolt.txlog.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fhirbolt.txlog.TxLog;
import dev.fhirbolt.txlog.TxLogReader;
import dev.fhirbolt.txlog.TxLogRecord;
import dev.fhirbolt.txlog.TxLogUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every transaction-log engine must do. An engine's test class extends this and opens a fresh, empty log per
 * test; the same assertions then hold for Kafka or anything else behind {@link TxLog}.
 */
public abstract class TxLogContract {

    /** How long a test waits for records it knows are there. */
    protected static final Duration PATIENCE = Duration.ofSeconds(20);

    protected TxLog log;

    /** A new, empty log. */
    protected abstract TxLog openFresh() throws Exception;

    /** A second instance on the log {@link #openFresh} last opened, as another node or a restarted one opens it. */
    protected abstract TxLog openAgain() throws Exception;

    /**
     * A log whose engine cannot be reached, configured to give up after {@link #unavailableTimeout()}. Opening may
     * itself throw {@link TxLogUnavailableException} (within the bound) instead of returning an instance.
     */
    protected abstract TxLog openUnreachable() throws Exception;

    /** The timeout {@link #openUnreachable} configures. */
    protected abstract Duration unavailableTimeout();

    @BeforeEach
    void open() throws Exception {
        log = openFresh();
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void anEmptyLogHasNoLastPositionAndNoRecords() {
        assertEquals(-1, log.lastPosition());
        try (TxLogReader reader = log.read(-1)) {
            assertTrue(reader.poll(Duration.ofMillis(300)).isEmpty());
        }
    }

    @Test
    void recordsAreReadBackInAppendOrderWithIncreasingPositions() {
        List<Long> positions = appendAll("r", 50);
        for (int i = 1; i < positions.size(); i++) {
            assertTrue(positions.get(i) > positions.get(i - 1), "positions grow: " + positions);
        }
        List<TxLogRecord> records = readUntil(log, -1, positions.getLast());
        assertEquals(50, records.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(positions.get(i), records.get(i).position());
            assertEquals("r" + i, text(records.get(i)));
        }
    }

    @Test
    void readingAfterAPositionResumesExactlyAfterIt() {
        List<Long> positions = appendAll("r", 20);
        long after = positions.get(6);
        List<TxLogRecord> records = readUntil(log, after, positions.getLast());
        assertEquals(13, records.size());
        assertEquals("r7", text(records.getFirst()));
        assertEquals(positions.get(7), records.getFirst().position());
        try (TxLogReader reader = log.read(positions.getLast())) {
            assertTrue(reader.poll(Duration.ofMillis(300)).isEmpty(), "nothing after the last");
        }
    }

    @Test
    void lastPositionIsThatOfTheLastAcknowledgedAppend() {
        List<Long> positions = appendAll("r", 5);
        assertEquals(positions.getLast(), log.lastPosition());
        long more = append("one more");
        assertEquals(more, log.lastPosition());
    }

    @Test
    void aReaderSeesRecordsAppendedAfterItWasOpened() {
        try (TxLogReader reader = log.read(-1)) {
            assertTrue(reader.poll(Duration.ofMillis(200)).isEmpty());
            long position = append("later");
            List<TxLogRecord> records = pollUntil(reader, position);
            assertEquals(List.of("later"), records.stream().map(TxLogContract::text).toList());
        }
    }

    @Test
    void anotherInstanceReadsWhatThisOneAppended() throws Exception {
        List<Long> positions = appendAll("shared", 3);
        try (TxLog other = openAgain()) {
            assertEquals(positions.getLast(), other.lastPosition());
            assertEquals(3, readUntil(other, -1, positions.getLast()).size());
            long next = other.append(bytes("from the other")).join();
            assertTrue(next > positions.getLast());
            assertEquals("from the other", text(readUntil(log, positions.getLast(), next).getFirst()));
        }
    }

    @Test
    void concurrentAppendersEachKeepTheirOwnOrder() throws Exception {
        int threads = 4;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<CompletableFuture<Long>>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String prefix = "t" + t + ":";
                futures.add(pool.submit(() -> {
                    List<CompletableFuture<Long>> appended = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        appended.add(log.append(bytes(prefix + i)));
                    }
                    return appended;
                }));
            }
            long last = -1;
            for (Future<List<CompletableFuture<Long>>> future : futures) {
                for (CompletableFuture<Long> position : future.get()) {
                    last = Math.max(last, position.join());
                }
            }
            Map<String, Integer> next = new HashMap<>();
            List<TxLogRecord> records = readUntil(log, -1, last);
            assertEquals(threads * each, records.size());
            for (TxLogRecord record : records) {
                String[] parts = text(record).split(":");
                int expected = next.getOrDefault(parts[0], 0);
                assertEquals(expected, Integer.parseInt(parts[1]), "order of appender " + parts[0]);
                next.put(parts[0], expected + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRecordOfMaxRecordBytesIsTakenAndALargerOneRefused() {
        byte[] largest = new byte[log.maxRecordBytes()];
        for (int i = 0; i < largest.length; i++) {
            largest[i] = (byte) (i * 31);
        }
        long position = log.append(largest).join();
        assertArrayEquals(largest, readUntil(log, -1, position).getLast().payload());
        assertRefused(new byte[log.maxRecordBytes() + 1]);
        assertEquals(position, log.lastPosition(), "the refused record was not logged");
    }

    @Test
    void anEmptyRecordRoundTrips() {
        long position = log.append(new byte[0]).join();
        assertEquals(0, readUntil(log, -1, position).getFirst().payload().length);
    }

    @Test
    void recordsSurviveReopening() throws Exception {
        List<Long> positions = appendAll("kept", 10);
        log.close();
        log = openAgain();
        assertEquals(positions.getLast(), log.lastPosition());
        List<TxLogRecord> records = readUntil(log, -1, positions.getLast());
        assertEquals(10, records.size());
        assertEquals("kept9", text(records.getLast()));
        assertTrue(append("after reopening") > positions.getLast());
    }

    @Test
    void anUnreachableLogFailsWithinItsTimeoutInsteadOfHanging() {
        long bound = unavailableTimeout().toMillis() * 3 + 5_000;
        long start = System.nanoTime();
        TxLog unreachable;
        try {
            unreachable = openUnreachable();
        } catch (TxLogUnavailableException expected) {
            assertWithin(bound, start, "opening");
            return;
        } catch (Exception e) {
            throw new AssertionError("opening an unreachable log threw " + e, e);
        }
        try (TxLog closing = unreachable) {
            start = System.nanoTime();
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> closing.append(bytes("lost")).join());
            assertTrue(failed.getCause() instanceof TxLogUnavailableException, "cause: " + failed.getCause());
            assertWithin(bound, start, "append");
            start = System.nanoTime();
            assertThrows(TxLogUnavailableException.class, closing::lastPosition);
            assertWithin(bound, start, "lastPosition");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    protected long append(String text) {
        return log.append(bytes(text)).join();
    }

    protected List<Long> appendAll(String prefix, int count) {
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            futures.add(log.append(bytes(prefix + i)));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** Every record of {@code source} after {@code after} up to and including position {@code last}. */
    protected static List<TxLogRecord> readUntil(TxLog source, long after, long last) {
        try (TxLogReader reader = source.read(after)) {
            return pollUntil(reader, last);
        }
    }

    protected static List<TxLogRecord> pollUntil(TxLogReader reader, long last) {
        List<TxLogRecord> records = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long seen = Long.MIN_VALUE;
        while (seen < last) {
            if (System.nanoTime() > deadline) {
                fail("position " + last + " not read within " + PATIENCE + "; read " + records.size());
            }
            for (TxLogRecord record : reader.poll(Duration.ofMillis(200))) {
                assertTrue(record.position() > seen, "positions grow while reading");
                seen = record.position();
                records.add(record);
            }
        }
        return records;
    }

    private void assertRefused(byte[] tooLarge) {
        try {
            CompletableFuture<Long> result = log.append(tooLarge);
            CompletionException failed = assertThrows(CompletionException.class, result::join);
            assertTrue(failed.getCause() instanceof IllegalArgumentException, "cause: " + failed.getCause());
        } catch (IllegalArgumentException expected) {
            // refused before it was sent: also allowed
        }
    }

    private static void assertWithin(long boundMillis, long startNanos, String what) {
        long took = (System.nanoTime() - startNanos) / 1_000_000;
        assertTrue(took <= boundMillis, what + " took " + took + " ms, more than " + boundMillis + " ms");
    }

    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(TxLogRecord record) {
        return new String(record.payload(), StandardCharsets.UTF_8);
    }
}
