package dev.fhirbolt.subscriptions.channel;

import dev.fhirbolt.subscriptions.SubscriptionSpec;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * rest-hook: an HTTP/1.1 call to the subscriber's endpoint with the subscription's headers, bounded by the
 * subscription's timeout (10 s unless the backport timeout says otherwise). Any 2xx is a delivery. Calls go through
 * one Jetty HttpClient (pooled keep-alive connections, a few threads), far cheaper per call than the JDK's client;
 * the answer's body is not kept.
 */
public final class RestHookChannel implements Channel, AutoCloseable {

    private static final String FHIR_JSON = "application/fhir+json";
    /** Headers the HTTP exchange itself owns: a subscription cannot set them. */
    private static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length",
            "expect", "host", "upgrade", "transfer-encoding", "te", "keep-alive", "trailer");

    /** Started at the first notification: most servers have no rest-hook subscription. */
    private HttpClient http;
    private boolean closed;

    private synchronized HttpClient http() throws DeliveryException {
        if (closed) {
            throw new DeliveryException("delivery stopped (server stopping)", false);
        }
        if (http == null) {
            QueuedThreadPool threads = new QueuedThreadPool(16, 2);
            threads.setName("subscription-http");
            threads.setDaemon(true);
            HttpClient client = new HttpClient();
            client.setExecutor(threads);
            client.setConnectTimeout(5000);
            client.setFollowRedirects(false);
            client.setMaxConnectionsPerDestination(32);
            // each subscription has at most one call under way: as many may wait as there are subscriptions
            client.setMaxRequestsQueuedPerDestination(1 << 20);
            client.setUserAgentField(null);
            try {
                client.start();
            } catch (Exception e) {
                throw new IllegalStateException("the rest-hook HTTP client did not start", e);
            }
            http = client;
        }
        return http;
    }

    @Override
    public void send(SubscriptionSpec spec, Message message) throws DeliveryException {
        String endpoint = spec.endpoint();
        Request request;
        try {
            if (message.bundle()) {
                request = http().newRequest(URI.create(endpoint)).method(HttpMethod.POST)
                        .body(new BytesRequestContent(FHIR_JSON, message.body().orElseThrow()));
            } else if (spec.payload().isPresent() && message.body().isPresent()) {
                String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
                request = http().newRequest(URI.create(base + "/" + message.resourcePath().orElseThrow()))
                        .method(HttpMethod.PUT).body(new BytesRequestContent(FHIR_JSON, message.body().get()));
            } else {
                request = http().newRequest(URI.create(endpoint)).method(HttpMethod.POST);
            }
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("the rest-hook endpoint '" + endpoint + "' is not a usable URL", true);
        }
        request.timeout(spec.timeoutSeconds(), TimeUnit.SECONDS);
        for (String header : spec.headers()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (!sendable(name, value)) {
                throw new DeliveryException("Subscription.channel.header '" + name + "' cannot be sent", true);
            }
            request.headers(h -> h.add(name, value));
        }
        Result result = call(request, endpoint, spec.timeoutSeconds());
        if (result.isFailed()) {
            Throwable cause = result.getFailure();
            if (cause instanceof TimeoutException) {
                throw new DeliveryException("the rest-hook endpoint " + endpoint + " did not answer within "
                        + spec.timeoutSeconds() + " s", true);
            }
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " could not be reached: "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), true);
        }
        int status = result.getResponse().getStatus();
        if (status / 100 != 2) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " answered HTTP " + status, true);
        }
    }

    /** Sends and waits for the whole exchange (the request's own timeout ends it; a second more as a backstop). */
    private static Result call(Request request, String endpoint, int timeoutSeconds) throws DeliveryException {
        CompletableFuture<Result> done = new CompletableFuture<>();
        request.send(done::complete);
        try {
            return done.get(timeoutSeconds + 1L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw new DeliveryException("delivery interrupted (server stopping)", false);
        } catch (TimeoutException e) {
            request.abort(e);
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " did not answer within "
                    + timeoutSeconds + " s", true);
        } catch (ExecutionException e) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " could not be reached: "
                    + e.getCause(), true);
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

    @Override
    public synchronized void close() {
        closed = true;
        if (http != null) {
            try {
                http.stop();
            } catch (Exception e) {
                // stopping: nothing more to deliver
            }
            http = null;
        }
    }
}
