package dev.fhirbolt.rest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One FHIR interaction request, independent of the HTTP server: a top-level HTTP request and a Bundle entry in a
 * batch or transaction are both this, so every interaction handles them the same way.
 *
 * @param path the path below the FHIR base, without leading slash or query (e.g. {@code Patient/1/_history})
 * @param baseUrl the public FHIR base URL, no trailing slash
 */
public record FhirRequest(String method, String path, Params params, Map<String, List<String>> headers, byte[] body,
        String baseUrl, String remoteAddress, Map<String, Object> attributes) {

    public FhirRequest {
        TreeMap<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseInsensitive.putAll(headers);
        headers = caseInsensitive;
        method = method.toUpperCase(Locale.ROOT);
        attributes = attributes == null ? Map.of() : attributes;
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** The attribute under which the HTTP layer hands an operation that streams its body the body's stream. */
    public static final String BODY_STREAM = "fhirbolt.body-stream";

    /**
     * The body as a stream: the HTTP request's, not yet read, for an operation that streams its body
     * ({@link Operation#streamsBody()}); otherwise the bytes read.
     */
    public java.io.InputStream bodyStream() {
        return attribute(BODY_STREAM, java.io.InputStream.class)
                .orElseGet(() -> new java.io.ByteArrayInputStream(body == null ? new byte[0] : body));
    }

    public boolean hasBody() {
        return body != null && body.length > 0;
    }

    public Prefer prefer() {
        return Prefer.parse(headers.get("Prefer"));
    }

    public <T> Optional<T> attribute(String name, Class<T> type) {
        return Optional.ofNullable(attributes.get(name)).filter(type::isInstance).map(type::cast);
    }
}
