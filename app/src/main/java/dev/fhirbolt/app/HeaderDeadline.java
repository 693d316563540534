package dev.fhirbolt.app;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes an HTTP/1 connection whose request line and headers are not complete within the deadline. The idle timeout
 * alone cannot: a client that sends one byte just before each timeout would hold its connection forever. Checks each
 * connection every fifth of the deadline, so it closes between 1 and 1.4 deadlines after the headers began.
 */
final class HeaderDeadline implements Connection.Listener {

    private final long deadlineMillis;
    private final Scheduler scheduler;

    HeaderDeadline(long deadlineMillis, Scheduler scheduler) {
        this.deadlineMillis = deadlineMillis;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            new Watch(http).schedule();
        }
    }

    /** One connection's watch: when its current request started reading headers, as far as the checks saw. */
    private final class Watch implements Runnable {

        private final HttpConnection connection;
        private long headersSince = -1;
        private long requestsSeen = -1;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        void schedule() {
            scheduler.schedule(this, Math.max(1, deadlineMillis / 5), TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            if (!connection.getEndPoint().isOpen()) {
                return;
            }
            long now = System.nanoTime();
            long requests = connection.getMessagesIn();
            boolean inHeaders = connection.getParser().inHeaderState() && !connection.getParser().isStart();
            if (!inHeaders || requests != requestsSeen) {
                headersSince = inHeaders ? now : -1;
                requestsSeen = requests;
            } else if (headersSince < 0) {
                headersSince = now;
            } else if (now - headersSince >= TimeUnit.MILLISECONDS.toNanos(deadlineMillis)) {
                connection.getEndPoint().close();
                return;
            }
            schedule();
        }
    }
}
