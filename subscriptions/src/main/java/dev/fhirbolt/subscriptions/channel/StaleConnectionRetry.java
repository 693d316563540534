package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * A rest-hook call is made once more, on a new connection, when the endpoint closed a kept-alive connection
 * under it (the answer never came: no answer at all, or the connection reset). Nothing else is retried here: a refused
 * connection, a timeout or an error status is the worker's to retry later, and a stopped worker's call is not retried.
 */
final class StaleConnectionRetry {

    private StaleConnectionRetry() {
    }

    /** Whether a failed first attempt is worth one more on a new connection. */
    static boolean stale(IOException exception) {
        return !Thread.currentThread().isInterrupted()
                && (exception instanceof NoHttpResponseException || exception instanceof SocketException
                        && !(exception instanceof ConnectException) && !(exception instanceof NoRouteToHostException));
    }
}
