package dev.fhirbolt.app.load;

/** Where bundles go: a running server over HTTP, or the FHIR API on a data directory. */
public interface LoadTarget extends AutoCloseable {

    /** The answer to POSTing a Bundle to the base: HTTP status and response body (JSON). */
    record Response(int status, byte[] body) {
    }

    Response postBundle(byte[] bundleJson) throws Exception;

    String describe();

    @Override
    default void close() {
    }
}
