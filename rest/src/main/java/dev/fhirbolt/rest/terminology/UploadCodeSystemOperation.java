package dev.fhirbolt.rest.terminology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.Router;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.ConceptStore;
import dev.fhirbolt.terminology.StreamedConcepts;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code POST [base]/CodeSystem/[id]/$upload}: a CodeSystem (FHIR JSON, concepts nested or flat) of any size, read
 * as it arrives. Its concepts go to the terminology keyspace in batches ({@link ConceptStore}), never all in memory;
 * the CodeSystem itself is then written (a PUT of {@code CodeSystem/[id]} through the API, so validation, search
 * indexes and the terminology catalog see it as any write) without its concepts: {@code content} becomes
 * {@code not-present}, {@code count} the number of concepts, and an extension names the upload. A malformed or
 * too-large body, or a refused write, answers 4xx and leaves nothing stored; a replaced upload's concepts are removed
 * once the write is applied (the terminology module's {@code UploadJanitor}).
 */
public final class UploadCodeSystemOperation implements Operation {

    private final ConceptStore concepts;
    private final Supplier<FhirApi> api;
    private final long maxBytes;

    public UploadCodeSystemOperation(ConceptStore concepts, Supplier<FhirApi> api, long maxBytes) {
        this.concepts = concepts;
        this.api = api;
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "upload";
    }

    @Override
    public Set<String> types() {
        return Set.of("CodeSystem");
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.INSTANCE);
    }

    @Override
    public String definition() {
        return "https://fhirbolt.dev/fhir/OperationDefinition/CodeSystem-upload";
    }

    @Override
    public boolean streamsBody() {
        return true;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        if (!"POST".equals(request.method())) {
            throw new FhirException(405, IssueType.NOT_SUPPORTED, "$upload takes the CodeSystem in a POST body");
        }
        String id = route.requireId();
        String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!type.isEmpty() && !type.contains("json")) {
            throw new FhirException(415, IssueType.NOT_SUPPORTED, "$upload takes a CodeSystem as FHIR JSON"
                    + " (Content-Type: application/fhir+json), not " + type.replaceAll("\\p{Cntrl}", "?"));
        }
        String upload = ConceptStore.newUploadId();
        boolean stored = false;
        try {
            StreamedConcepts.Result result = read(request.bodyStream(), upload);
            FhirResponse response = write(request, id, header(result, id, upload));
            stored = response.status() < 300; // the replaced upload's records go when each node applies the PUT
            return response;
        } finally {
            if (!stored) {
                concepts.delete(upload);
            }
        }
    }

    private StreamedConcepts.Result read(InputStream body, String upload) {
        try (InputStream in = new LimitedStream(body, maxBytes)) {
            return StreamedConcepts.read(in, concepts.writer(upload));
        } catch (StreamedConcepts.MalformedException e) {
            if (e.getCause() instanceof TooLarge || e.getCause() != null
                    && e.getCause().getCause() instanceof TooLarge) {
                throw tooLarge();
            }
            throw new FhirException(400, IssueType.STRUCTURE, "the CodeSystem could not be uploaded, nothing was"
                    + " stored: " + e.getMessage());
        } catch (TooLarge e) {
            throw tooLarge();
        } catch (IOException | RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof TooLarge) {
                    throw tooLarge();
                }
            }
            if (e instanceof FhirException f) {
                throw f;
            }
            if (e instanceof IOException || e instanceof java.io.UncheckedIOException) {
                throw dev.fhirbolt.rest.http.FhirHttpHandler.unreadableBody(e);
            }
            throw (RuntimeException) e;
        }
    }

    private FhirException tooLarge() {
        return new FhirException(413, IssueType.TOO_LONG, "the CodeSystem is larger than this server's upload limit"
                + " of " + maxBytes + " bytes (terminology-upload-max-bytes); nothing was stored");
    }

    /** The CodeSystem without its concepts, as it is stored. */
    private static byte[] header(StreamedConcepts.Result result, String id, String upload) {
        ObjectNode cs = result.header();
        String content = cs.path("content").asText("complete");
        if (!content.equals("complete")) {
            throw FhirException.invalid("$upload takes a CodeSystem with content 'complete', not '" + content
                    + "'; nothing was stored");
        }
        cs.put("id", id);
        cs.put("content", "not-present");
        cs.put("count", result.count());
        ArrayNode extensions = cs.has("extension") && cs.get("extension").isArray()
                ? (ArrayNode) cs.get("extension") : cs.putArray("extension");
        extensions.addObject().put("url", ConceptStore.UPLOAD_EXTENSION).put("valueString", upload);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(cs);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CodeSystem written through the API as a PUT: validation, authorization, indexes and catalog apply. */
    private FhirResponse write(FhirRequest request, String id, byte[] body) {
        String path = "CodeSystem/" + id;
        FhirRequest put = new FhirRequest("PUT", path, dev.fhirbolt.rest.Params.empty(),
                Map.of("Content-Type", List.of("application/fhir+json"),
                        "Accept", request.headers().getOrDefault("Accept", List.of("application/fhir+json"))),
                body, request.baseUrl(), request.remoteAddress(), withoutStream(request.attributes()));
        return api.get().handle(put, Router.route("PUT", path));
    }

    private static Map<String, Object> withoutStream(Map<String, Object> attributes) {
        Map<String, Object> copy = new java.util.HashMap<>(attributes);
        copy.remove(FhirRequest.BODY_STREAM);
        return copy;
    }

    /** Thrown when the body goes past the limit. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("the body is larger than the upload limit");
        }
    }

    /** Counts the bytes read and fails once they pass the limit. */
    private static final class LimitedStream extends java.io.FilterInputStream {
        private final long limit;
        private long read;

        LimitedStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw new TooLarge();
            }
        }
    }
}
