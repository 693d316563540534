package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import org.apache.hc.client5.http.HttpRequestRetryStrategy;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.TimeValue;

/**
 * A rest-hook call is made once more, on a new connection, when the endpoint closed a pooled keep-alive connection
 * under it (the answer never came: no answer at all, or the connection reset). Nothing else is retried here: a refused
 * connection, a timeout or an error status is the worker's to retry later, and a stopped worker's call is not retried.
 */
final class StaleConnectionRetry implements HttpRequestRetryStrategy {

    /** Whether a failed first attempt is worth one more on a new connection. */
    static boolean stale(IOException exception) {
        return !Thread.currentThread().isInterrupted()
                && (exception instanceof NoHttpResponseException || exception instanceof SocketException
                        && !(exception instanceof ConnectException) && !(exception instanceof NoRouteToHostException));
    }

    @Override
    public boolean retryRequest(HttpRequest request, IOException exception, int execCount, HttpContext context) {
        return execCount <= 1 && stale(exception);
    }

    @Override
    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
        return false;
    }

    @Override
    public TimeValue getRetryInterval(HttpResponse response, int execCount, HttpContext context) {
        return TimeValue.ZERO_MILLISECONDS;
    }
}
