package dev.fhirbolt.subscriptions.channel;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * Ends rest-hook calls that outlive their deadline. A socket's read timeout bounds each read, not the call: an
 * endpoint that drips its answer a byte at a time could hold a worker for as many timeouts as it sends bytes. So each
 * call is also scheduled to be aborted at its deadline, on one daemon thread for all calls ({@code
 * subscription-hook-deadline}); aborting closes the call's connection, which ends a read blocked on it at once. A
 * call that ends in time cancels its abort (removed from the timer's queue, so finished calls do not pile up there).
 */
final class CallDeadline implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    CallDeadline() {
        timer = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("subscription-hook-deadline").unstarted(r));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Aborts {@code call} after {@code millis} unless the returned handle is cancelled first. */
    ScheduledFuture<?> abortAfter(Cancellable call, long millis) {
        return timer.schedule(call::cancel, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
