package dev.fhirbolt.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Status, headers and body of an interaction's answer; mutable only while it is being built. */
public final class FhirResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ResponseBody body;
    private Instant lastModified;

    public FhirResponse(int status, ResponseBody body) {
        this.status = status;
        this.body = body;
    }

    public static FhirResponse of(int status, ResponseBody body) {
        return new FhirResponse(status, body);
    }

    public FhirResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Sets Last-Modified, and keeps the instant (the header has whole seconds) for a Bundle entry's lastModified. */
    public FhirResponse lastModified(Instant instant) {
        lastModified = instant;
        return header("Last-Modified", HttpDates.format(instant));
    }

    public Optional<Instant> lastModified() {
        return Optional.ofNullable(lastModified);
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public ResponseBody body() {
        return body;
    }
}
