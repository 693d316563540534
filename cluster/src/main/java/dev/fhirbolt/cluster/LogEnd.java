package dev.fhirbolt.cluster;

import dev.fhirbolt.txlog.TxLog;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The log's last position as seen by a look-up sent after a given reader arrived, one look-up shared by every reader
 * that arrived before it was sent.
 *
 * <p>Readers gather in a <em>batch</em>. The first reader of a batch leads it: once fewer than the allowed number of
 * look-ups are in flight, it closes the batch (a reader arriving after that starts the next one) and asks the log
 * itself, on its own thread; the other readers of the batch wait for that one answer, each woken once. So with one
 * look-up in flight, every reader that arrives meanwhile shares the next look-up, and the log is asked at most once
 * per round trip however many readers come. Nothing is asked while nobody reads.
 *
 * <p>Why this is linearizable: a batch is closed, under this object's lock, before its look-up is sent, and only
 * readers that joined it before then get its answer. The look-up therefore asks the log after every write
 * acknowledged before any of its readers arrived had reached the log (an acknowledged write is below the log's end),
 * so the end it finds is at or past each of them.
 */
final class LogEnd implements AutoCloseable {

    /** Look-ups in flight at most (each holds one connection to the partition's leader). */
    static final int LOOKUPS = 1;
    /** After a failed look-up, the batches sent within this time fail at once instead of asking again. */
    static final Duration FAILURE_PAUSE = Duration.ofMillis(100);

    private final TxLog log;
    private final int lookups;
    /** The batch readers join now: its look-up is not sent yet; {@code null} when none is gathering. */
    private Batch open;
    private int inFlight;
    private RuntimeException lastFailure;
    private long lastFailureAt;
    private boolean closed;

    LogEnd(TxLog log) {
        this(log, LOOKUPS);
    }

    LogEnd(TxLog log, int lookups) {
        if (lookups < 1) {
            throw new IllegalArgumentException("at least one look-up in flight, not " + lookups);
        }
        this.log = log;
        this.lookups = lookups;
    }

    /**
     * The last position of the log as a look-up sent after this call found it; throws what the log threw, or
     * {@link IllegalStateException} when no look-up answered within {@code timeout}.
     */
    long fresh(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Batch batch;
        boolean leads;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the node is stopping");
            }
            leads = open == null;
            if (leads) {
                open = new Batch();
            }
            batch = open;
        }
        if (leads) {
            lead(batch, deadline, timeout);
        }
        return batch.await(deadline, timeout);
    }

    /** Waits for a free look-up, closes {@code batch} and asks the log for it. */
    private void lead(Batch batch, long deadline, Duration timeout) throws InterruptedException {
        RuntimeException refusal = null;
        synchronized (this) {
            try {
                while (inFlight >= lookups && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        refusal = timedOut(timeout);
                        break;
                    }
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            } catch (InterruptedException e) {
                open = null;
                batch.finish(-1, new IllegalStateException("interrupted while asking the log for its end"));
                throw e;
            }
            open = null; // later readers gather in the next batch: this look-up may be too early for them
            if (closed) {
                refusal = new IllegalStateException("the node is stopping");
            } else if (refusal == null && lastFailure != null
                    && System.nanoTime() - lastFailureAt < FAILURE_PAUSE.toNanos()) {
                refusal = lastFailure; // a log that fails fast is not asked in a tight loop
            }
            if (refusal == null) {
                inFlight++;
            }
        }
        if (refusal != null) {
            batch.finish(-1, refusal);
            return;
        }
        long found = -1;
        RuntimeException error = null;
        try {
            found = log.lastPosition();
        } catch (RuntimeException e) {
            error = e;
        }
        synchronized (this) {
            inFlight--;
            if (error != null) {
                lastFailure = error;
                lastFailureAt = System.nanoTime();
            } else {
                lastFailure = null;
            }
            notifyAll(); // the next batch's leader, if one waits for this look-up
        }
        batch.finish(found, error);
    }

    private static IllegalStateException timedOut(Duration timeout) {
        return new IllegalStateException("the transaction log did not answer within " + timeout.toMillis() + " ms");
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The readers of one look-up and, once it answered, what it found (a position or a failure). */
    private static final class Batch {
        private boolean finished;
        private long position;
        private RuntimeException failure;

        synchronized void finish(long found, RuntimeException error) {
            finished = true;
            position = found;
            failure = error;
            notifyAll();
        }

        synchronized long await(long deadline, Duration timeout) throws InterruptedException {
            while (!finished) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw timedOut(timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            if (failure != null) {
                throw failure;
            }
            return position;
        }
    }
}
