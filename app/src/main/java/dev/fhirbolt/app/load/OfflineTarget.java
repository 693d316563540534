package dev.fhirbolt.app.load;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.rest.Cancellation;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.bundle.BundleRenderer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

/** Hands Bundles to the {@link FhirApi} directly: the same validation and commits as the server, without HTTP. */
public final class OfflineTarget implements LoadTarget {

    private static final String BASE = "http://localhost/fhir";

    private final FhirApi api;
    private final String description;
    private final AutoCloseable resources;
    private final java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();

    public OfflineTarget(FhirApi api, String description, AutoCloseable resources) {
        this.api = api;
        this.description = description;
        this.resources = resources;
    }

    @Override
    public Response postBundle(byte[] bundleJson) throws Abandoned {
        return post(bundleJson, n -> { });
    }

    /** {@code done} is told the bytes of the Bundle processed as a large transaction works through its entries. */
    @Override
    public Response postBundle(byte[] bundleJson, java.util.function.LongConsumer done) throws Abandoned {
        Response response = post(bundleJson, done);
        done.accept(bundleJson.length);
        return response;
    }

    private Response post(byte[] bundleJson, java.util.function.LongConsumer done) throws Abandoned {
        java.util.function.BooleanSupplier abandoned = this.abandoned::get;
        FhirRequest request = new FhirRequest("POST", "", Params.empty(),
                Map.of("Content-Type", List.of("application/fhir+json"), "Prefer", List.of("return=minimal")),
                bundleJson, BASE, "offline", Map.of(Cancellation.ATTRIBUTE, abandoned,
                        dev.fhirbolt.rest.BodyProgress.ATTRIBUTE, done));
        FhirResponse response;
        try {
            response = api.handle(request);
        } catch (FhirException e) {
            if (Cancellation.isAbandoned(e)) {
                throw new Abandoned();
            }
            response = OperationOutcomes.response(e);
        }
        return new Response(response.status(), render(response.body()));
    }

    /** Hands the operation the body's stream as the HTTP layer does for an operation that streams its body. */
    @Override
    public Response postStream(String path, BodyWriter body, java.util.function.LongConsumer sent) throws Exception {
        try (BodyPipe pipe = new BodyPipe(body)) {
            java.io.InputStream counted = new java.io.FilterInputStream(pipe.in()) {
                private long n;

                @Override
                public int read(byte[] b, int off, int len) throws java.io.IOException {
                    int r = super.read(b, off, len);
                    if (r > 0) {
                        sent.accept(n += r);
                    }
                    return r;
                }
            };
            FhirRequest request = new FhirRequest("POST", path, Params.empty(),
                    Map.of("Content-Type", List.of("application/fhir+json")), new byte[0], BASE, "offline",
                    Map.of(FhirRequest.BODY_STREAM, counted));
            FhirResponse response;
            try {
                response = api.handle(request);
            } catch (FhirException e) {
                response = OperationOutcomes.response(e);
            }
            pipe.finish();
            return new Response(response.status(), render(response.body()));
        }
    }

    /** The transactions being planned stop before they commit (nothing of them is stored): {@link Abandoned}. */
    @Override
    public void abort() {
        abandoned.set(true);
    }

    private static byte[] render(ResponseBody body) {
        return switch (body) {
            case ResponseBody.Bundle b -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                BundleRenderer.write(b.content(), RenderOptions.COMPACT_JSON, out);
                yield out.toByteArray();
            }
            case ResponseBody.Model m -> ResourceWriter.render(m.resource(), RenderOptions.COMPACT_JSON);
            case ResponseBody.Stored s -> s.version().json();
            default -> new byte[0];
        };
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + description + " failed: " + e.getMessage(), e);
            }
        }
    }
}
