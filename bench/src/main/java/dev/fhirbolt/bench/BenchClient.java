package dev.fhirbolt.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP side of the load generator: one Jetty {@link HttpClient} with a single selector thread, HTTP/1.1
 * keep-alive connections (one a concurrent client) and asynchronous sends, so that 64 concurrent clients cost a
 * handful of threads, not 64. Responses are not decoded (no gzip) and bodies are discarded unless asked for.
 */
public final class BenchClient implements AutoCloseable {

    public static final String FHIR_JSON = "application/fhir+json";

    /** What a completed request gives back to the load runner. */
    @FunctionalInterface
    public interface Completion {
        /** {@code status} is 0 and {@code failure} set when no response arrived (refused, timed out...). */
        void done(int status, String location, Throwable failure);
    }

    /** A response read in full, for set-up steps and probes. */
    public record Result(int status, String location, String body) {
    }

    private final HttpClient http;
    private final String base;
    private final long timeoutMillis;
    private final LongAdder created = new LongAdder();

    public BenchClient(String baseUrl, int maxConnections, long timeoutMillis) throws Exception {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI.create(this.base); // fail early on a malformed URL
        this.timeoutMillis = timeoutMillis;
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("bench-http");
        threads.setDaemon(true);
        connector.setExecutor(threads);
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(Math.max(1, maxConnections));
        http.setMaxRequestsQueuedPerDestination(Math.max(1024, maxConnections * 4));
        http.setFollowRedirects(false);
        http.setUserAgentField(null);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setConnectTimeout(5_000);
        http.setIdleTimeout(60_000);
        http.getContentDecoderFactories().clear();
        http.start();
    }

    /** How many requests sent through this client were answered 201 Created. */
    public long createdCount() {
        return created.sum();
    }

    public String baseUrl() {
        return base;
    }

    private Request request(Call call) {
        Request request = http.newRequest(base + "/" + call.path())
                .method(HttpMethod.fromString(call.method()))
                .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.ACCEPT, FHIR_JSON));
        if (call.bearer() != null) {
            request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + call.bearer()));
        }
        if (call.header() != null) {
            int colon = call.header().indexOf(':');
            request.headers(h -> h.put(call.header().substring(0, colon).trim(),
                    call.header().substring(colon + 1).trim()));
        }
        if (call.body() != null) {
            request.body(new BytesRequestContent(FHIR_JSON, call.body()));
        }
        return request;
    }

    /** Sends asynchronously; the body of the response is read and thrown away. */
    public void send(Call call, Completion completion) {
        request(call).send(result -> {
            if (result.isSucceeded()) {
                var response = result.getResponse();
                if (response.getStatus() == 201) {
                    created.increment();
                }
                completion.done(response.getStatus(), response.getHeaders().get(HttpHeader.LOCATION), null);
            } else {
                var response = result.getResponse();
                completion.done(response == null ? 0 : response.getStatus(), null, result.getFailure());
            }
        });
    }

    /** Sends and waits for the whole response; for set-up and probes, not for measured load. */
    public Result call(Call call) throws Exception {
        ContentResponse response = request(call).send();
        if (response.getStatus() == 201) {
            created.increment();
        }
        return new Result(response.getStatus(), response.getHeaders().get(HttpHeader.LOCATION),
                new String(response.getContent(), StandardCharsets.UTF_8));
    }

    /**
     * Sends every call with at most {@code concurrency} in flight and returns the results in the order of the
     * calls; a request that failed without a response has status 0. For bulk set-up (e.g. creating the ids a read
     * scenario reads).
     */
    public List<Result> sendAll(Iterator<Call> calls, int concurrency) throws InterruptedException {
        List<Call> all = new ArrayList<>();
        calls.forEachRemaining(all::add);
        Result[] slots = new Result[all.size()];
        Semaphore permits = new Semaphore(Math.max(1, concurrency));
        CountDownLatch done = new CountDownLatch(all.size());
        for (int i = 0; i < all.size(); i++) {
            permits.acquire();
            int slot = i;
            send(all.get(i), (status, location, failure) -> {
                slots[slot] = new Result(status, location, failure == null ? null : String.valueOf(failure));
                permits.release();
                done.countDown();
            });
        }
        done.await();
        return Arrays.asList(slots);
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
