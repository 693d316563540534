package dev.fhirbolt.app;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirbolt.fhir.Fhir;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Resource;

/** TEST ONLY: a tiny JSON HTTP client for the FHIR API. */
final class Http {

    static final FhirContext CTX = Fhir.context();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    record Response(int status, java.net.http.HttpHeaders headers, String body) {
        <T extends Resource> T as(Class<T> type) {
            return CTX.newJsonParser().parseResource(type, body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private final String base;

    Http(String base) {
        this.base = base;
    }

    Response send(String method, String path, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/" + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    Response post(String path, String json, String... headers) {
        return send("POST", path, json, "application/fhir+json", headers);
    }

    Response post(String path, Resource resource, String... headers) {
        return post(path, CTX.newJsonParser().encodeResourceToString(resource), headers);
    }

    Response put(String path, Resource resource, String... headers) {
        return send("PUT", path, CTX.newJsonParser().encodeResourceToString(resource), "application/fhir+json",
                headers);
    }

    Response patch(String path, String body, String contentType, String... headers) {
        return send("PATCH", path, body, contentType, headers);
    }

    static String json(Resource r) {
        return CTX.newJsonParser().encodeResourceToString(r);
    }
}
