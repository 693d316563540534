package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultBHttpClientConnection;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * One worker's keep-alive connection to its endpoint, and the calls made over it. The HTTP/1.1 exchange is HttpCore
 * 5's classic connection ({@link DefaultBHttpClientConnection}: request writing, response parsing, chunked and
 * length-delimited bodies) driven by its {@link HttpRequestExecutor}; Content-Length and Content-Type are set by
 * HttpCore's {@link RequestContent} from the body, the Host header is made once per connection. Only the calling
 * worker uses it, so there is no pool, no lock and no per-call bookkeeping: a call is the exchange on the worker's
 * thread.
 *
 * <p>The connection is opened on the first call and kept while the endpoint keeps it: a new one when the endpoint's
 * scheme, host or port changed, when the endpoint answered {@code Connection: close} (or HttpCore's reuse rules say
 * so), after any failure, and when a connection idle for more than 1 s turns out closed by the other side ({@code
 * isStale}). A call on a kept connection that fails because the endpoint had closed it under the call is made once
 * more on a new one ({@link StaleConnectionRetry}), within the same deadline.
 *
 * <p>The deadline covers the whole call (connect, at most 5 s; the TLS handshake; sending; the answer's head and body
 * however slowly they come): the call writes it here and the {@link CallWatchdog} closes the socket of a call past
 * it, which ends any blocked socket operation. Each read is also bounded by the socket's read timeout (the same
 * timeout). The socket comes from a {@link SocketChannel}, so interrupting the worker closes it and ends the call at
 * once ({@link java.nio.channels.ClosedByInterruptException}). The watchdog also closes the connection once idle for
 * more than 30 s.
 */
final class HookConnection {

    /** {@link #state}: no call under way (any positive value is the number of the call under way). */
    private static final long IDLE = 0;
    /** {@link #state}: the watchdog is closing the idle connection. */
    private static final long HELD = -1;
    /** {@link #state}: the watchdog closed the socket of a call past its deadline. */
    private static final long EXPIRED = -2;
    /** {@link #state}: closed for good (the worker stopped or the server is stopping). */
    private static final long CLOSED = -3;
    static final long IDLE_CLOSE_NANOS = 30_000_000_000L;
    private static final long STALE_CHECK_NANOS = 1_000_000_000L;
    private static final int CONNECT_MILLIS = 5_000;
    private static final ContentType FHIR_JSON = ContentType.create("application/fhir+json");
    private static final byte[] EMPTY = new byte[0];
    private static final HttpRequestExecutor EXECUTOR = new HttpRequestExecutor();
    private static final Header USER_AGENT = new BasicHeader(HttpHeaders.USER_AGENT, "fhirbolt");

    private final HookTls tls;
    private final CallWatchdog watchdog;
    private final AtomicLong state = new AtomicLong(IDLE);
    /** The deadline (System.nanoTime) of the call under way; written before {@link #state} names the call. */
    private volatile long deadline;
    private volatile long lastUsed;
    /** The socket under the connection (closed by the watchdog, or by {@link #close} from another thread). */
    private volatile Socket socket;
    private long calls;
    private DefaultBHttpClientConnection http;
    private final HttpCoreContext context = HttpCoreContext.create();
    private String scheme;
    private String host;
    private int port;
    /** The Host header for this origin, made once per connection rather than per call. */
    private Header hostHeader;
    private long readTimeout = -1;

    HookConnection(HookTls tls, CallWatchdog watchdog) {
        this.tls = tls;
        this.watchdog = watchdog;
        context.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** Makes one call; {@code headers} are "Name: value" lines already checked. Returns the answer's status. */
    int call(String method, URI uri, List<String> headers, String contentType, byte[] body, long timeoutMillis)
            throws IOException {
        begin(System.nanoTime() + timeoutMillis * 1_000_000L);
        try {
            return attempts(method, uri, headers, contentType, body, timeoutMillis);
        } catch (IOException e) {
            discard(CloseMode.IMMEDIATE);
            if (state.get() == EXPIRED) { // the watchdog closed the socket under the call
                throw new SocketTimeoutException("no answer within the timeout");
            }
            throw timeoutOr(e);
        } catch (RuntimeException e) {
            discard(CloseMode.IMMEDIATE);
            throw e;
        } finally {
            end();
        }
    }

    private int attempts(String method, URI uri, List<String> headers, String contentType, byte[] body,
            long timeoutMillis) throws IOException {
        for (int attempt = 1; ; attempt++) {
            boolean kept = connect(uri, timeoutMillis);
            try {
                return exchange(method, uri, headers, contentType, body, timeoutMillis);
            } catch (IOException e) {
                discard(CloseMode.IMMEDIATE);
                if (attempt == 1 && kept && state.get() != EXPIRED && StaleConnectionRetry.stale(e)) {
                    continue;
                }
                throw e;
            }
        }
    }

    /** Marks the call under way for the watchdog; waits if the watchdog is just closing the idle connection. */
    private void begin(long until) throws IOException {
        long call = ++calls;
        deadline = until;
        while (!state.compareAndSet(IDLE, call)) {
            if (state.get() == CLOSED) {
                throw new IOException("the rest-hook client is closed");
            }
            synchronized (this) { // the watchdog holds this while it closes an idle connection
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The call is over. If the watchdog expired it (or the connection was closed) meanwhile, its close has completed
     * once this holds the lock, and the connection is dropped; an answer that came in just then still counts.
     */
    private void end() {
        lastUsed = System.nanoTime();
        if (state.compareAndSet(calls, IDLE)) {
            return;
        }
        synchronized (this) { // the watchdog or close() has closed the socket (under this lock)
            discard(CloseMode.IMMEDIATE);
            state.compareAndSet(EXPIRED, IDLE);
        }
    }

    /** Opens a connection to {@code uri}'s origin unless one is kept; whether a kept one is used. */
    private boolean connect(URI uri, long timeoutMillis) throws IOException {
        String s = uri.getScheme().toLowerCase(Locale.ROOT);
        String h = uri.getHost();
        boolean https = s.equals("https");
        int p = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        if (http != null && !(s.equals(scheme) && h.equalsIgnoreCase(host) && p == port)) {
            discard(CloseMode.GRACEFUL); // the endpoint changed
        }
        if (http != null && System.nanoTime() - lastUsed > STALE_CHECK_NANOS && http.isStale()) {
            discard(CloseMode.IMMEDIATE);
        }
        if (http != null) {
            return true;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer within the timeout");
        }
        Socket raw = SocketChannel.open().socket();
        watchdog.watch(this);
        socket = raw;
        if (state.get() == EXPIRED) { // the watchdog may have missed the new socket: close it here
            throw new SocketTimeoutException("no answer within the timeout");
        }
        raw.setTcpNoDelay(true);
        raw.connect(new InetSocketAddress(h, p), (int) Math.min(CONNECT_MILLIS, left));
        raw.setSoTimeout((int) timeoutMillis);
        DefaultBHttpClientConnection c = new DefaultBHttpClientConnection(Http1Config.DEFAULT);
        if (https) {
            c.bind(tls.layer(raw, h, p), raw);
        } else {
            c.bind(raw);
        }
        http = c;
        scheme = s;
        host = h;
        port = p;
        String authority = uri.getRawAuthority(); // host[:port] as the endpoint names it, without user info
        hostHeader = new BasicHeader(HttpHeaders.HOST, authority.substring(authority.lastIndexOf('@') + 1));
        readTimeout = timeoutMillis;
        return false;
    }

    private int exchange(String method, URI uri, List<String> headers, String contentType, byte[] body,
            long timeoutMillis) throws IOException {
        if (readTimeout != timeoutMillis) {
            http.setSocketTimeout(Timeout.ofMilliseconds(timeoutMillis));
            readTimeout = timeoutMillis;
        }
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        path = path == null || path.isEmpty() ? "/" : path;
        // the request target as the endpoint's URI has it (this constructor does not parse it again)
        BasicClassicHttpRequest request = new BasicClassicHttpRequest(method, (HttpHost) null,
                query == null ? path : path + "?" + query);
        request.addHeader(hostHeader);
        request.addHeader(USER_AGENT);
        for (String header : headers) {
            int colon = header.indexOf(':');
            request.addHeader(header.substring(0, colon), header.substring(colon + 1).trim());
        }
        request.setEntity(body == null ? new ByteArrayEntity(EMPTY, null)
                : new ByteArrayEntity(body, FHIR_JSON.getMimeType().equals(contentType) ? FHIR_JSON
                        : ContentType.parse(contentType)));
        try {
            RequestContent.INSTANCE.process(request, request.getEntity(), context);
            ClassicHttpResponse response = EXECUTOR.execute(request, http, context);
            drain(response.getEntity());
            if (!EXECUTOR.keepAlive(request, response, http, context)) {
                discard(CloseMode.GRACEFUL); // Connection: close, or an answer without a length
            }
            return response.getCode();
        } catch (HttpException e) { // a malformed answer
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Reads the answer's body to its end, so the connection can be reused (the deadline bounds how long). */
    private static void drain(HttpEntity entity) throws IOException {
        if (entity == null || entity.getContentLength() == 0) {
            return; // nothing to read (the usual answer): no buffer
        }
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // dropped
            }
        }
    }

    private static IOException timeoutOr(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new SocketTimeoutException("no answer within the timeout");
        }
        if (e instanceof InterruptedIOException && !Thread.currentThread().isInterrupted()) {
            return new SocketTimeoutException("no answer within the timeout (" + e.getMessage() + ")");
        }
        return e;
    }

    /** Closes the connection (if any); the next call opens a new one. Only the calling worker or under the lock. */
    private void discard(CloseMode mode) {
        DefaultBHttpClientConnection c = http;
        Socket raw = socket;
        http = null;
        socket = null;
        watchdog.forget(this);
        if (c != null) {
            c.close(mode);
        }
        if (raw != null) {
            try {
                raw.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }

    /** The watchdog's look at this connection at {@code now}: a call past its deadline, or too long idle. */
    void check(long now) {
        long s = state.get();
        if (s > 0 && now - deadline > 0) {
            synchronized (this) {
                if (state.compareAndSet(s, EXPIRED)) {
                    closeSocket();
                }
            }
        } else if (s == IDLE && now - lastUsed > IDLE_CLOSE_NANOS) {
            synchronized (this) {
                if (state.compareAndSet(IDLE, HELD)) {
                    discard(CloseMode.GRACEFUL);
                    state.set(IDLE);
                }
            }
        }
    }

    /** Closes the connection for good (the worker stopped, the server is stopping); a call under way ends. */
    void close() {
        synchronized (this) {
            state.set(CLOSED);
            closeSocket();
        }
        watchdog.forget(this);
    }

    private void closeSocket() {
        Socket raw = socket;
        if (raw != null) {
            try {
                raw.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }
}
