package dev.fhirbolt.cluster;

import dev.fhirbolt.txlog.TxLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The log's last position as seen by a look-up that started after a given moment, shared by the readers waiting for
 * one. Up to {@link #LOOKUPS} look-ups are in flight at once, each on a thread of its own, and a new one starts as
 * soon as a reader arrives that no look-up in flight can serve (all of them started before it arrived), so a reader
 * waits about one look-up instead of the rest of the one in flight and then another. Nothing is asked while nobody
 * waits.
 *
 * <p>Why this is linearizable: a reader is only given the answer of a look-up that started after the reader arrived
 * (both moments are ticks of one clock under this object's lock). That look-up asked the log after every write
 * acknowledged before the reader arrived had reached the log, so its end is at or past each of them. A look-up that
 * started before the reader arrived may have asked before such a write, so it never serves that reader. Look-ups may
 * finish out of order; the one kept is the latest-started that has finished, and any look-up that serves a reader
 * started after the reader, so keeping only the latest-started one loses no reader's answer.
 */
final class LogEnd implements AutoCloseable {

    /** Look-ups in flight at most (each holds one connection to the partition's leader). */
    static final int LOOKUPS = 3;

    private final TxLog log;
    private final List<Thread> threads = new ArrayList<>();
    private long waiters;
    /**
     * A logical clock under this object's lock, ticked by every reader's arrival and every look-up's start, so the
     * two are strictly ordered; the latest arrival of a reader, and the latest start of any look-up (finished or not).
     */
    private long clock;
    private long latestArrival;
    private long latestStart;
    /** The finished look-up that started last: when, and what it found (a position, or a failure). */
    private long lookupStarted;
    private long position = -1;
    private RuntimeException failure;
    private boolean closed;

    LogEnd(TxLog log) {
        this.log = log;
        for (int i = 0; i < LOOKUPS; i++) {
            threads.add(Thread.ofPlatform().name("fhirbolt-log-end-" + i).daemon(true).start(this::run));
        }
    }

    /**
     * The last position of the log as a look-up started after this call found it; throws what the log threw, or
     * {@link IllegalStateException} when no look-up finished within {@code timeout}.
     */
    synchronized long fresh(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long arrival = ++clock;
        waiters++;
        latestArrival = arrival;
        notifyAll();
        try {
            while (lookupStarted < arrival) {
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

    /** Whether a reader waits that every look-up started so far is too early for. */
    private boolean unserved() {
        return waiters > 0 && latestStart < latestArrival;
    }

    private void run() {
        while (true) {
            long started;
            synchronized (this) {
                while (!unserved() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                started = ++clock; // after the arrival of every reader waiting now
                latestStart = started;
            }
            long found = -1;
            RuntimeException error = null;
            try {
                found = log.lastPosition();
            } catch (RuntimeException e) {
                error = e;
            }
            synchronized (this) {
                if (started > lookupStarted) {
                    lookupStarted = started;
                    position = found;
                    failure = error;
                }
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
        threads.forEach(Thread::interrupt);
    }
}
