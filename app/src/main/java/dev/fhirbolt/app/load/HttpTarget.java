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
        HttpRequest.Builder builder = HttpRequest.newBuilder(base);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder
                .timeout(Duration.ofMinutes(30))
                .header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(new CountingPublisher(HttpRequest.BodyPublishers.ofByteArray(bundleJson), sent))
                .build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Response(response.statusCode(), response.body());
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
