package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Heap that requests with large bodies may take at once. Processing a body costs a multiple of its size while it is
 * handled: for a transaction Bundle the JSON tree (about 4x the body, kept per entry until its JSON is written), the
 * HAPI model (about 7x), the index entries before they are stamped (about 6x), the stored JSON and the write batch
 * (about 1x each), not all alive at once (measured on Synthea bundles, docs/benchmarks.md, "Memory"). A large JSON
 * transaction read entry by entry costs {@link #STREAMED_COST_FACTOR} times its body (the 85 MB Synthea bundle commits
 * with a 1 GiB heap). Each such request reserves its cost before its body is read ({@link Reservation}): one that
 * could never fit is refused at once with 413 naming the setting to raise; one that fits waits for others to finish,
 * up to {@link #WAIT_SECONDS}, then gets a 503. So no mix of requests can take the heap down.
 */
public final class MemoryBudget {

    /** Heap a request takes per byte of body, at its peak. */
    public static final int COST_FACTOR = 15;
    /**
     * Heap per byte of a large JSON transaction read entry by entry: the body, the stored JSON and index entries of
     * every write until the commit, and the commit's write batch; the model of one entry at a time.
     */
    public static final int STREAMED_COST_FACTOR = 7;
    /** Bodies below this are not counted: their cost is lost in the noise, and most requests are small. */
    static final long SMALL_BODY = 256 * 1024;
    static final long WAIT_SECONDS = 60;
    private static final long KB = 1024;
    private static final long MB = 1024 * 1024;

    private final long budgetBytes;
    private final Semaphore permits;

    /** {@code budgetBytes}: heap that large requests may use together (counted in KB). */
    public MemoryBudget(long budgetBytes) {
        this.budgetBytes = Math.max(KB, budgetBytes);
        this.permits = new Semaphore((int) Math.min(Integer.MAX_VALUE, this.budgetBytes / KB), true);
    }

    /**
     * The default: 60% of the heap that can hold long-lived objects, the rest being for caches, small requests and
     * searches. That is the maximum heap, or the old generation's maximum where the young one is fixed apart (the
     * offline loader's {@code -Xmn2g} of {@code -Xmx3g} leaves 1 GB for what a transaction keeps for seconds).
     */
    public static MemoryBudget ofHeap() {
        return new MemoryBudget(defaultBytes());
    }

    public static long defaultBytes() {
        long heap = Runtime.getRuntime().maxMemory();
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            String name = pool.getName();
            long max = pool.getUsage() == null ? -1 : pool.getUsage().getMax();
            if (pool.getType() == java.lang.management.MemoryType.HEAP && max > 0
                    && (name.contains("Old Gen") || name.contains("Tenured"))) {
                heap = Math.min(heap, max);
            }
        }
        return heap / 10 * 6;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** A reservation, released by closing it. */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /** Reserves the heap a request with a body of {@code bodyBytes} needs; 413 or 503 when it cannot. */
    public Lease reserve(long bodyBytes) {
        return reserve(bodyBytes, COST_FACTOR);
    }

    /** As {@link #reserve(long)}, for a request that takes {@code perByte} bytes of heap per byte of its body. */
    public Lease reserve(long bodyBytes, int perByte) {
        Reservation r = open();
        try {
            r.ensure(bodyBytes, perByte);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** A reservation that starts empty and grows as more of a body is known ({@link Reservation#ensure}). */
    public Reservation open() {
        return new Reservation();
    }

    /**
     * The heap one request holds, grown as its body arrives (from its Content-Length before it is read, or step by
     * step while a chunked body is read) and as what it is becomes known; released all at once by closing it.
     */
    public final class Reservation implements Lease {

        private int heldKb;

        private Reservation() {
        }

        /** Holds at least what a body of {@code bodyBytes} needs at {@code perByte}; 413 or 503 when it cannot. */
        public synchronized void ensure(long bodyBytes, int perByte) {
            if (bodyBytes < SMALL_BODY) {
                return;
            }
            long need = bodyBytes * perByte;
            checkFits(bodyBytes, need);
            int kb = (int) Math.min(Integer.MAX_VALUE, (need + KB - 1) / KB);
            if (kb > heldKb) {
                acquire(kb - heldKb, need);
                heldKb = kb;
            }
        }

        @Override
        public synchronized void close() {
            if (heldKb > 0) {
                permits.release(heldKb);
                heldKb = 0;
            }
        }
    }

    private void checkFits(long bodyBytes, long need) {
        if (need > budgetBytes) {
            throw new FhirException(413, IssueType.TOO_COSTLY, "the request body is " + mb(bodyBytes)
                    + " MB; handling it takes about " + mb(need) + " MB of memory, and this server lets requests use "
                    + mb(budgetBytes) + " MB (request-memory-mb). Split it into smaller requests (fhirbolt load"
                    + " splits large transactions itself), or raise request-memory-mb to at least " + (mb(need) + 1)
                    + " together with the server's heap (-Xmx in FHIRBOLT_JAVA_OPTS; request-memory-mb should stay"
                    + " below about 60% of it)");
        }
    }

    private void acquire(int kb, long need) {
        try {
            if (!permits.tryAcquire(kb, WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new FhirException(503, IssueType.TRANSIENT, "the server is busy with other large requests"
                        + " and has no memory for this one (" + mb(need) + " MB) now; retry later");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirException(503, IssueType.TRANSIENT, "interrupted while waiting for memory");
        }
    }

    private static long mb(long bytes) {
        return bytes / MB;
    }
}
