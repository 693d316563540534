package dev.fhirbolt.subscriptions.channel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.SocketChannel;
import java.util.List;
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
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The rest-hook's HTTP calls: Apache HttpClient 5 (classic, blocking) on the calling thread, over keep-alive
 * connections pooled per route. A subscription's worker makes one call at a time and waits for its answer, so the call
 * is a write and a read on that thread: no selector, no hand-off to a pool thread and back. The sockets come from
 * {@link SocketChannel}s, which are interruptible: interrupting the caller (a worker being stopped) closes the
 * connection and ends the call at once (a plain socket would go on waiting until its timeout). A call is bounded by its
 * timeout: connecting (at most 5 s), waiting for a pooled connection, each read of the answer, and reading the whole
 * answer. TLS uses the JDK's trust store with the default host-name verification. The answer's body is read and
 * dropped.
 */
final class HookClient implements AutoCloseable {

    /** The outcome of a call: the status code. */
    record Answer(int status) {
    }

    /** Each worker makes one call at a time: as many connections per endpoint as there are platform workers. */
    private static final int MAX_PER_ROUTE = 256;
    private static final int MAX_TOTAL = 1024;

    private final CloseableHttpClient client;

    HookClient() {
        var connections = new PoolingHttpClientConnectionManagerBuilder() {
            @Override
            protected HttpClientConnectionOperator createConnectionOperator(SchemePortResolver ports, DnsResolver dns,
                    TlsSocketStrategy tls) {
                return new DefaultHttpClientConnectionOperator(proxy -> SocketChannel.open().socket(), ports, dns,
                        RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
            }
        }
                .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                .setMaxConnPerRoute(MAX_PER_ROUTE)
                .setMaxConnTotal(MAX_TOTAL)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofSeconds(5))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1)) // an idle endpoint may have closed it
                        .setIdleTimeout(Timeout.ofSeconds(30))
                        .build())
                .build();
        client = HttpClients.custom()
                .setConnectionManager(connections)
                .setRetryStrategy(new StaleConnectionRetry())
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .disableConnectionState()
                .disableDefaultUserAgent()
                .build();
    }

    /** Makes one call; {@code headers} are "Name: value" lines already checked. */
    Answer call(String method, URI uri, List<String> headers, String contentType, byte[] body, long timeoutMillis)
            throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        for (String h : headers) {
            int colon = h.indexOf(':');
            request.addHeader(h.substring(0, colon), h.substring(colon + 1).trim());
        }
        request.setEntity(body == null ? new ByteArrayEntity(new byte[0], null)
                : new ByteArrayEntity(body, ContentType.parse(contentType)));
        Timeout timeout = Timeout.ofMilliseconds(timeoutMillis);
        request.setConfig(RequestConfig.custom().setConnectionRequestTimeout(timeout).setResponseTimeout(timeout)
                .build());
        try {
            return client.execute(request, response -> {
                drain(response.getEntity(), deadline);
                return new Answer(response.getCode());
            });
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("no answer within the timeout");
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // a connect or a wait for a pooled connection that timed out
            throw new SocketTimeoutException("no answer within the timeout (" + e.getMessage() + ")");
        }
    }

    /** Reads the answer's body to its end (so the connection can be reused), within the call's deadline. */
    private static void drain(HttpEntity entity, long deadline) throws IOException {
        if (entity == null || entity.getContentLength() == 0) {
            return; // nothing to read (the usual answer): no buffer
        }
        try (InputStream in = entity.getContent()) {
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new SocketTimeoutException("no answer within the timeout");
                }
            }
        }
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }
}
