package dev.fhirbolt.app.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** POSTs Bundles to a running server; one keep-alive HTTP/1.1 client shared by all loader threads. */
public final class HttpTarget implements LoadTarget {

    private final URI base;
    private final HttpClient client;
    private final LoadCredentials credentials;

    public HttpTarget(String baseUrl) {
        this(baseUrl, (String) null);
    }

    /** With a SMART access token (bearer) for a server with security on; null for none. */
    public HttpTarget(String baseUrl, String token) {
        this(baseUrl, LoadCredentials.fixed(token));
    }

    /** With tokens that may be renewed: a bundle refused with 401 is sent once more with a new token. */
    public HttpTarget(String baseUrl, LoadCredentials credentials) {
        this.credentials = credentials;
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    public Response postBundle(byte[] bundleJson) throws Exception {
        return postBundle(bundleJson, n -> { });
    }

    @Override
    public Response postBundle(byte[] bundleJson, java.util.function.LongConsumer sent) throws Exception {
        String token = credentials.token();
        Response r = send(bundleJson, sent, token);
        if (r.status() == 401 && token != null && credentials.renewAfter(token)) {
            r = send(bundleJson, n -> { }, credentials.token()); // its bytes were counted on the first try
        }
        return r;
    }

    private Response send(byte[] bundleJson, java.util.function.LongConsumer sent, String token) throws Exception {
        HttpRequest request = request(base, token,
                new CountingPublisher(new WrappingPublisher(bundleJson), sent));
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body());
    }

    /** Streams the Bundle as it is written (chunked): neither side of the pipe holds more than 64 KiB of it. */
    @Override
    public Response postBundle(BodyWriter bundle, java.util.function.LongConsumer sent) throws Exception {
        return post(base, bundle, sent);
    }

    /** Streamed (chunked) as {@link #postBundle(BodyWriter, java.util.function.LongConsumer)} streams a Bundle. */
    @Override
    public Response postStream(String path, BodyWriter body, java.util.function.LongConsumer sent) throws Exception {
        return post(base.resolve(path), body, sent);
    }

    private Response post(URI uri, BodyWriter body, java.util.function.LongConsumer sent) throws Exception {
        String token = credentials.token();
        Response r = stream(uri, body, sent, token);
        if (r.status() == 401 && token != null && credentials.renewAfter(token)) {
            r = stream(uri, body, n -> { }, credentials.token());
        }
        return r;
    }

    private Response stream(URI uri, BodyWriter body, java.util.function.LongConsumer sent, String token)
            throws Exception {
        try (BodyPipe pipe = new BodyPipe(body)) {
            HttpResponse<byte[]> response;
            try {
                response = client.send(request(uri, token, new CountingPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(pipe::in), sent)),
                        HttpResponse.BodyHandlers.ofByteArray());
            } catch (java.io.IOException e) {
                pipe.finish();
                throw e;
            }
            pipe.finish();
            return new Response(response.statusCode(), response.body());
        }
    }

    private HttpRequest request(URI uri, String token, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder
                .timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(body)
                .build();
    }

    @Override
    public String describe() {
        return base.toString();
    }

    @Override
    public void abort() {
        client.shutdownNow();
    }

    @Override
    public void close() {
        client.close();
    }
}
