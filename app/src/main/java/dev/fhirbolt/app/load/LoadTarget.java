package dev.fhirbolt.app.load;

/** Where bundles go: a running server over HTTP, or the FHIR API on a data directory. */
public interface LoadTarget extends AutoCloseable {

    /** The answer to POSTing a Bundle to the base: HTTP status and response body (JSON). */
    record Response(int status, byte[] body) {
    }

    Response postBundle(byte[] bundleJson) throws Exception;

    /** A send abandoned by {@link #abort()} that is known to have stored nothing. */
    final class Abandoned extends Exception {
        public Abandoned() {
            super("abandoned before it was committed; nothing of it was stored");
        }
    }

    /** {@link #postBundle(byte[])}, telling {@code sent} how many bytes went out as they go. */
    default Response postBundle(byte[] bundleJson, java.util.function.LongConsumer sent) throws Exception {
        Response response = postBundle(bundleJson);
        sent.accept(bundleJson.length);
        return response;
    }

    /** Writes a request body to a stream, from the start each time it is called (a retry writes it again). */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }

    /**
     * POSTs a Bundle written as it is sent. This default collects it first (for targets that need the whole body);
     * a target that can stream, {@link HttpTarget}, never holds it whole. {@code sent} hears the bytes sent.
     */
    default Response postBundle(BodyWriter bundle, java.util.function.LongConsumer sent) throws Exception {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        bundle.writeTo(buffer);
        return postBundle(buffer.toByteArray(), sent);
    }

    /**
     * POSTs a body written as it is read to {@code path} below the base (e.g. {@code CodeSystem/x/$upload}, an operation
     * that reads its body as a stream), never holding it whole; {@code sent} hears the bytes taken so far.
     */
    default Response postStream(String path, BodyWriter body, java.util.function.LongConsumer sent) throws Exception {
        throw new UnsupportedOperationException(describe() + " does not take streamed bodies");
    }

    /** Abandons the sends in flight: they end at once with an exception (whatever the server does with them). */
    default void abort() {
    }

    String describe();

    @Override
    default void close() {
    }
}
