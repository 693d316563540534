package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SchemePortResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The rest-hook's HTTP calls: Apache HttpClient 5 (classic, blocking) on the calling thread, over keep-alive
 * connections pooled per route. A subscription's worker makes one call at a time and waits for its answer, so the call
 * is a write and a read on that thread: no selector, no hand-off to a pool thread and back. The client is HttpClient's
 * minimal one ({@link HttpClients#createMinimal}: the HTTP/1.1 exchange, the pool and keep-alive; no redirects,
 * cookies, authentication, content compression or proxy support, which a rest-hook does not use). The sockets come
 * from {@link SocketChannel}s, which are interruptible: interrupting the caller (a worker being stopped) closes the
 * connection and ends the call at once (a plain socket would go on waiting until its timeout). A call's timeout holds
 * for the whole call ({@link CallDeadline}): waiting for a pooled connection, connecting (at most 5 s), sending, and
 * reading the answer however slowly the endpoint sends it. TLS uses the JDK's trust store and HttpClient's host-name
 * verification. The answer's body is read and dropped. A call that fails because the endpoint had closed the pooled
 * connection under it is made once more on a new connection ({@link StaleConnectionRetry}), within the same deadline.
 */
final class HookClient implements AutoCloseable {

    /** The outcome of a call: the status code. */
    record Answer(int status) {
    }

    /** Each worker makes one call at a time: as many connections per endpoint as there are platform workers. */
    private static final int MAX_PER_ROUTE = 256;
    private static final int MAX_TOTAL = 1024;
    private static final ContentType FHIR_JSON = ContentType.create("application/fhir+json");
    private static final byte[] EMPTY = new byte[0];

    private final CloseableHttpClient client;
    private final CallDeadline deadlines = new CallDeadline();
    /** Request settings by timeout (a subscription's timeout is 1–120 s: few distinct values). */
    private final Map<Long, RequestConfig> configs = new ConcurrentHashMap<>();

    /** Trusts the JDK's default trust store. */
    HookClient() {
        this(SSLContexts.createSystemDefault());
    }

    /** Trusts what {@code tls} trusts (tests). */
    HookClient(SSLContext tls) {
        TlsSocketStrategy tlsStrategy = new DefaultClientTlsStrategy(tls, HostnameVerificationPolicy.CLIENT,
                HttpsSupport.getDefaultHostnameVerifier());
        var connections = new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                    TlsSocketStrategy tls) {
                return new DefaultHttpClientConnectionOperator(proxy -> SocketChannel.open().socket(), ports, dns,
                        RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
            }
        }
                .setTlsSocketStrategy(tlsStrategy)
                .setMaxConnPerRoute(MAX_PER_ROUTE)
                .setMaxConnTotal(MAX_TOTAL)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1)) // an idle endpoint may have closed it
                        .setIdleTimeout(Timeout.ofSeconds(30))
                        .build())
                .build();
        client = HttpClients.createMinimal(connections);
    }

    /** Makes one call; {@code headers} are "Name: value" lines already checked. */
    Answer call(String method, URI uri, List<String> headers, String contentType, byte[] body, long timeoutMillis)
            throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        for (int attempt = 1; ; attempt++) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new SocketTimeoutException("no answer within the timeout");
            }
            HttpUriRequestBase request = request(method, uri, headers, contentType, body, timeoutMillis);
            ScheduledFuture<?> abort = deadlines.abortAfter(request, left);
            try {
                return client.execute(request, response -> {
                    drain(response.getEntity());
                    return new Answer(response.getCode());
                });
            } catch (IOException | RuntimeException e) {
                if (request.isCancelled()) { // the deadline closed the connection under the call
                    throw new SocketTimeoutException("no answer within the timeout");
                }
                if (e instanceof IOException io) {
                    if (attempt == 1 && StaleConnectionRetry.stale(io)) {
                        continue;
                    }
                    throw timeoutOr(io);
                }
                throw e;
            } finally {
                abort.cancel(false);
            }
        }
    }

    private HttpUriRequestBase request(String method, URI uri, List<String> headers, String contentType, byte[] body,
            long timeoutMillis) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        for (String h : headers) {
            int colon = h.indexOf(':');
            request.addHeader(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        request.setEntity(body == null ? new ByteArrayEntity(EMPTY, null)
                : new ByteArrayEntity(body, FHIR_JSON.getMimeType().equals(contentType) ? FHIR_JSON
                        : ContentType.parse(contentType)));
        request.setConfig(configs.computeIfAbsent(timeoutMillis, ms -> RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.ofMilliseconds(ms))
                .setResponseTimeout(Timeout.ofMilliseconds(ms))
                .build()));
        return request;
    }

    private static IOException timeoutOr(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new SocketTimeoutException("no answer within the timeout");
        }
        if (e instanceof InterruptedIOException && !Thread.currentThread().isInterrupted()) {
            // a connect or a wait for a pooled connection that timed out
            return new SocketTimeoutException("no answer within the timeout (" + e.getMessage() + ")");
        }
        return e;
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

    @Override
    public void close() {
        deadlines.close();
        client.close(CloseMode.IMMEDIATE);
    }
}
