package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.ssl.SSLContexts;

/**
 * The rest-hook's HTTP calls, each made on the calling worker's thread over that worker's own keep-alive connection
 * ({@link HookConnection}, HttpCore 5's classic HTTP/1.1 connection): a worker makes one call at a time to one
 * endpoint, so there is no shared pool to lease from and no lock. A worker's connection is found through a
 * {@link ThreadLocal} (a worker is one thread) and closed by {@link #release} when the worker stops; one
 * {@link CallWatchdog} thread enforces every call's deadline and closes connections idle for more than 30 s. TLS uses
 * the JDK's trust store (or the given context) and HttpClient's host-name verification ({@link HookTls}).
 */
final class HookClient implements AutoCloseable {

    private final HookTls tls;
    private final CallWatchdog watchdog = new CallWatchdog();
    private final ThreadLocal<HookConnection> connections = new ThreadLocal<>();
    private volatile boolean closed;

    /** Trusts the JDK's default trust store. */
    HookClient() {
        this(SSLContexts.createSystemDefault());
    }

    /** Trusts what {@code tls} trusts (tests). */
    HookClient(SSLContext tls) {
        this.tls = new HookTls(tls);
    }

    /**
     * Makes one call on the calling thread's connection; {@code headers} are "Name: value" lines already checked.
     * Returns the answer's status; the answer's body is read and dropped.
     */
    int call(String method, URI uri, List<String> headers, String contentType, byte[] body, long timeoutMillis)
            throws IOException {
        if (closed) {
            throw new IOException("the rest-hook client is closed");
        }
        HookConnection connection = connections.get();
        if (connection == null) {
            connection = new HookConnection(tls, watchdog);
            connections.set(connection);
        }
        return connection.call(method, uri, headers, contentType, body, timeoutMillis);
    }

    /** Closes the calling thread's connection (a worker stopping). */
    void release() {
        HookConnection connection = connections.get();
        if (connection != null) {
            connections.remove();
            connection.close();
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.close();
        for (HookConnection c : watchdog.watched()) {
            c.close();
        }
    }
}
