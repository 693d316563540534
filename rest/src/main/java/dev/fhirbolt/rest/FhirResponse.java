package dev.fhirbolt.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/** Status, headers and body of an interaction's answer; mutable only while it is being built. */
public final class FhirResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final ResponseBody body;

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
