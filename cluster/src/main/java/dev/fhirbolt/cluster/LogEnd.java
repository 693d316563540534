package dev.fhirbolt.cluster;

import dev.fhirbolt.txlog.TxLog;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The log's last position as seen by a look-up that started after a given moment, shared by every reader waiting for
 * one: however many reads arrive, one thread asks the log, one look-up after another, and only while someone waits.
 */
final class LogEnd implements AutoCloseable {

    private final TxLog log;
    private final Thread thread;
    private long waiters;
    /** Whether a look-up has finished yet; when the last one started (System.nanoTime), and what it found. */
    private boolean lookedUp;
    private long lookupStarted;
    private long position = -1;
    private RuntimeException failure;
    private boolean closed;

    LogEnd(TxLog log) {
        this.log = log;
        this.thread = Thread.ofPlatform().name("fhirbolt-log-end").daemon(true).start(this::run);
    }

    /**
     * The last position of the log as a look-up started after this call found it; throws what the log threw, or
     * {@link IllegalStateException} when no look-up finished within {@code timeout}.
     */
    synchronized long fresh(Duration timeout) throws InterruptedException {
        long arrival = System.nanoTime();
        long deadline = arrival + timeout.toNanos();
        waiters++;
        notifyAll();
        try {
            while (!lookedUp || lookupStarted - arrival < 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    throw new IllegalStateException("the transaction log did not answer within "
                            + timeout.toMillis() + " ms");
                }
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
            if (failure != null) {
                throw failure;
            }
            return position;
        } finally {
            waiters--;
        }
    }

    private void run() {
        while (true) {
            synchronized (this) {
                while (waiters == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
            }
            long started = System.nanoTime();
            long found = -1;
            RuntimeException error = null;
            try {
                found = log.lastPosition();
            } catch (RuntimeException e) {
                error = e;
            }
            synchronized (this) {
                lookedUp = true;
                lookupStarted = started;
                position = found;
                failure = error;
                notifyAll();
            }
            if (error != null) {
                try {
                    Thread.sleep(100); // a log that fails fast is not asked in a tight loop
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
        thread.interrupt();
    }
}
