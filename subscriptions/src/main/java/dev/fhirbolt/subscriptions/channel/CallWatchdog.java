package dev.fhirbolt.subscriptions.channel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends rest-hook calls that outlive their deadline and closes connections left idle. A socket's read timeout bounds
 * each read, not the call: an endpoint that drips its answer a byte at a time could hold a worker for as many timeouts
 * as it sends bytes. So one daemon thread ({@code subscription-hook-watchdog}) looks at every open
 * {@link HookConnection} every {@value #PERIOD_MILLIS} ms: a call past its deadline has its socket closed (which ends
 * a blocked connect, handshake, write or read at once), a connection idle for more than 30 s is closed. A call costs
 * the watchdog nothing: it writes its deadline into its connection; there is no timer task to schedule and cancel, and
 * no wake-up per call. A deadline is therefore kept to within {@value #PERIOD_MILLIS} ms.
 */
final class CallWatchdog implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;

    private final Set<HookConnection> open = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean closed;

    CallWatchdog() {
        thread = Thread.ofPlatform().daemon().name("subscription-hook-watchdog").start(this::run);
    }

    /** Watches {@code connection} from now on (called when it opens a socket). */
    void watch(HookConnection connection) {
        open.add(connection);
    }

    /** No longer watches {@code connection} (its socket is closed). */
    void forget(HookConnection connection) {
        open.remove(connection);
    }

    /** The connections being watched (those with an open socket). */
    Set<HookConnection> watched() {
        return open;
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (HookConnection c : open) {
                c.check(now);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
