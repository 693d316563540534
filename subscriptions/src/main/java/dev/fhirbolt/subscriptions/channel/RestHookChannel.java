package dev.fhirbolt.subscriptions.channel;

import dev.fhirbolt.subscriptions.SubscriptionSpec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;

/**
 * rest-hook: an HTTP/1.1 call to the subscriber's endpoint with the subscription's headers, bounded by the
 * subscription's timeout (10 s unless the backport timeout says otherwise). Any 2xx is a delivery. The call is made on
 * the worker's own thread over the worker's own keep-alive connection ({@link HookClient}), closed by
 * {@link #release} when the worker stops; the answer's body is not kept.
 */
public final class RestHookChannel implements Channel, AutoCloseable {

    private static final String FHIR_JSON = "application/fhir+json";
    /** Headers the HTTP exchange itself owns: a subscription cannot set them. */
    private static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length",
            "expect", "host", "upgrade", "transfer-encoding", "te", "keep-alive", "trailer");

    private final HookClient http;
    private volatile boolean closed;

    /** https endpoints are checked against the JDK's default trust store. */
    public RestHookChannel() {
        this(new HookClient());
    }

    /** https endpoints are checked against what {@code tls} trusts (tests). */
    RestHookChannel(javax.net.ssl.SSLContext tls) {
        this(new HookClient(tls));
    }

    private RestHookChannel(HookClient http) {
        this.http = http;
    }

    @Override
    public void send(SubscriptionSpec spec, Message message) throws DeliveryException {
        if (closed) {
            throw new DeliveryException("delivery stopped (server stopping)", false);
        }
        String endpoint = spec.endpoint();
        URI uri;
        String method;
        byte[] body = null;
        try {
            if (message.bundle()) {
                uri = URI.create(endpoint);
                method = "POST";
                body = message.body().orElseThrow();
            } else if (spec.payload().isPresent() && message.body().isPresent()) {
                String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
                uri = URI.create(base + "/" + message.resourcePath().orElseThrow());
                method = "PUT";
                body = message.body().get();
            } else {
                uri = URI.create(endpoint);
                method = "POST";
            }
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("the rest-hook endpoint '" + endpoint + "' is not a usable URL", true);
        }
        List<String> headers = new ArrayList<>(spec.headers().size());
        for (String header : spec.headers()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (!sendable(name, value)) {
                throw new DeliveryException("Subscription.channel.header '" + name + "' cannot be sent", true);
            }
            headers.add(name + ": " + value);
        }
        int status;
        try {
            status = http.call(method, uri, headers, FHIR_JSON, body, spec.timeoutSeconds() * 1000L);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("delivery interrupted (server stopping)", false);
        } catch (SocketTimeoutException e) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " did not answer within "
                    + spec.timeoutSeconds() + " s", true);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("delivery interrupted (server stopping)", false);
        } catch (javax.net.ssl.SSLException e) {
            if (closed || Thread.currentThread().isInterrupted()) {
                throw new DeliveryException("delivery stopped (server stopping)", false);
            }
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " was refused: "
                    + TlsFailure.reason(e, uri.getHost()), true);
        } catch (IOException | RuntimeException e) {
            if (closed || Thread.currentThread().isInterrupted()) {
                throw new DeliveryException("delivery stopped (server stopping)", false);
            }
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " could not be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
        }
        if (status / 100 != 2) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " answered HTTP " + status, true);
        }
    }

    /**
     * Whether a subscription's header can be sent: a token for a name (RFC 9110), no line breaks in the value, and none
     * of the headers the HTTP exchange itself owns (Host, Content-Length, Connection, ...).
     */
    public static boolean sendable(String name, String value) {
        return !name.isEmpty() && name.chars().allMatch(RestHookChannel::tokenChar)
                && !RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))
                && value.chars().noneMatch(c -> c == '\r' || c == '\n');
    }

    /** RFC 9110 token characters (a header name). */
    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    /** Closes the calling worker's connection. */
    @Override
    public void release() {
        http.release();
    }

    @Override
    public void close() {
        closed = true;
        http.close();
    }
}
