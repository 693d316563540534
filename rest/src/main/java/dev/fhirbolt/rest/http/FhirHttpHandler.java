package dev.fhirbolt.rest.http;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.MemoryBudget;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.Router;
import dev.fhirbolt.rest.bundle.BundleRenderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the {@link FhirApi}: reads the request (within the size limit), hands it over, renders the answer
 * in the negotiated format, and turns every failure into an OperationOutcome without internals.
 */
public final class FhirHttpHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(FhirHttpHandler.class);

    /** Request attribute names other handlers (authorization) use to pass data to interactions. */
    public static final String ATTRIBUTES = "fhirbolt.attributes";

    private final FhirApi api;
    private final Function<Request, String> baseUrl;
    private final long maxBodyBytes;
    private final long minBodyBytesPerSecond;
    private final RequestObserver observer;

    public FhirHttpHandler(FhirApi api, Function<Request, String> baseUrl, long maxBodyBytes) {
        this(api, baseUrl, maxBodyBytes, 0, RequestObserver.NONE);
    }

    /**
     * @param minBodyBytesPerSecond the slowest average rate a body may arrive at (0: any)
     * @param observer told of every request's interaction, status and time (metrics)
     */
    public FhirHttpHandler(FhirApi api, Function<Request, String> baseUrl, long maxBodyBytes,
            long minBodyBytesPerSecond, RequestObserver observer) {
        this.api = api;
        this.baseUrl = baseUrl;
        this.maxBodyBytes = maxBodyBytes;
        this.minBodyBytesPerSecond = minBodyBytesPerSecond;
        this.observer = observer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long started = System.nanoTime();
        FhirRequest fhirRequest = null;
        Route route = null;
        FhirResponse fhirResponse;
        try (MemoryBudget.Reservation reservation = api.memory().open()) {
            fhirRequest = read(request, reservation);
            Negotiation.options(fhirRequest); // a response shape that cannot be rendered is refused before any write
            route = Router.route(fhirRequest.method(), fhirRequest.path()); // for the observer
            fhirResponse = api.handle(fhirRequest, reservation); // routes again, within the request memory budget
        } catch (FhirException e) {
            fhirResponse = OperationOutcomes.response(e);
        } catch (dev.fhirbolt.storage.StorageFullException e) {
            fhirResponse = OperationOutcomes.response(new FhirException(507, IssueType.EXCEPTION,
                    "nothing was stored: " + e.getMessage()));
        } catch (RuntimeException e) {
            fhirResponse = internalError(e);
        } catch (OutOfMemoryError e) {
            LOG.error("out of memory handling {} {}", request.getMethod(), Request.getPathInContext(request), e);
            fhirResponse = OperationOutcomes.response(new FhirException(503, IssueType.TOO_COSTLY, "the server ran"
                    + " out of memory handling this request; nothing was stored. Send smaller requests or give the"
                    + " server a larger heap (-Xmx)"));
        }
        int status = send(request, response, callback, fhirRequest, fhirResponse);
        observe(route, status, System.nanoTime() - started);
        return true;
    }

    private void observe(Route route, int status, long nanos) {
        try {
            observer.requestCompleted(route == null ? "unknown"
                    : route.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    route == null ? "unknown" : route.type().orElse("system"), status, nanos);
        } catch (RuntimeException e) {
            LOG.warn("the request observer failed", e);
        }
    }

    private FhirRequest read(Request request, MemoryBudget.Reservation reservation) {
        String path = Request.getPathInContext(request);
        path = path.startsWith("/") ? path.substring(1) : path;
        path = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> attributes = (Map<String, Object>) request.getAttribute(ATTRIBUTES);
        Params params = Params.parse(request.getHttpURI().getQuery());
        if (streamsBody(request.getMethod(), path)) {
            Map<String, Object> withStream = attributes == null ? new HashMap<>() : new HashMap<>(attributes);
            withStream.put(FhirRequest.BODY_STREAM, bodyStream(request));
            return new FhirRequest(request.getMethod(), path, params, headers, new byte[0], baseUrl.apply(request),
                    Request.getRemoteAddr(request), withStream);
        }
        byte[] body = readBody(request, reservation, leastPerBodyByte(request.getMethod(), path));
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if ("POST".equals(request.getMethod()) && contentType != null
                && contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
            params = params.plus(Params.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8)));
            body = new byte[0];
        }
        return new FhirRequest(request.getMethod(), path, params, headers, body, baseUrl.apply(request),
                Request.getRemoteAddr(request), attributes);
    }

    /**
     * The least heap per body byte a request to {@code path} can take, reserved before its body is read: a POST to
     * the base may be a large transaction read entry by entry; anything else is read whole.
     */
    private static int leastPerBodyByte(String method, String path) {
        return "POST".equals(method) && path.isEmpty() ? MemoryBudget.STREAMED_COST_FACTOR : MemoryBudget.COST_FACTOR;
    }

    /** Whether the request goes to an operation that reads its body as a stream (e.g. a code system upload). */
    private boolean streamsBody(String method, String path) {
        try {
            return api.streamsBody(Router.route(method, path));
        } catch (FhirException e) {
            return false; // answered when the request is routed again
        }
    }

    /** The body as it arrives, for an operation that bounds it itself; read failures are its to report. */
    private InputStream bodyStream(Request request) {
        checkEncoding(request);
        InputStream source = Content.Source.asInputStream(request);
        return minBodyBytesPerSecond > 0 ? new MinRateInputStream(source, minBodyBytesPerSecond) : source;
    }

    private static void checkEncoding(Request request) {
        // the GzipHandler in front decodes gzip and removes the header; any other coding would be read as garbage
        String encoding = request.getHeaders().get(HttpHeader.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.trim().equalsIgnoreCase("identity")) {
            throw new FhirException(415, IssueType.NOT_SUPPORTED, "the request body's Content-Encoding '"
                    + encoding.replaceAll("\\p{Cntrl}", "?") + "' is not one this server decodes; send the body"
                    + " as it is or gzip-compressed (Content-Encoding: gzip)");
        }
    }

    /** What a body that could not be read is answered with (timeouts, bad gzip). */
    public static FhirException unreadableBody(Exception e) {
        return unreadable(e);
    }

    private byte[] readBody(Request request, MemoryBudget.Reservation reservation, int perByte) {
        checkEncoding(request);
        // from the headers, not getLength(): a gzip body's decoded length is not the one its header declares
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        if (declared > 0) {
            reservation.ensure(declared, perByte); // before a byte of it is read: 413 or 503 now if it cannot fit
        }
        InputStream source = Content.Source.asInputStream(request);
        try (InputStream in = minBodyBytesPerSecond > 0 ? new MinRateInputStream(source, minBodyBytesPerSecond)
                : source) {
            if (declared >= 0 && declared <= Integer.MAX_VALUE - 8) {
                // read straight into an array of the declared size: readNBytes(limit) would gather chunks and copy
                // them into a second array, twice the garbage for a 30 MB Bundle
                byte[] body = new byte[(int) declared];
                int read = in.readNBytes(body, 0, body.length);
                if (read < body.length || in.read() >= 0) {
                    throw new FhirException(400, IssueType.STRUCTURE, "the request body does not have the "
                            + declared + " bytes its Content-Length declares");
                }
                return body;
            }
            return readChunked(in, reservation, perByte);
        } catch (FhirException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    /** A body of unknown length, its memory reserved step by step as it arrives. */
    private byte[] readChunked(InputStream in, MemoryBudget.Reservation reservation, int perByte) throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        long reservedFor = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            body.write(buffer, 0, n);
            if (body.size() > maxBodyBytes) {
                throw tooLarge();
            }
            if (body.size() >= reservedFor) {
                reservation.ensure(body.size() + CHUNKED_STEP, perByte); // a step ahead of what has arrived
                reservedFor = body.size() + CHUNKED_STEP;
            }
        }
        return body.toByteArray();
    }

    /** How far ahead of a chunked body its memory is reserved. */
    private static final int CHUNKED_STEP = 1024 * 1024;

    /** The body's bytes did not arrive in time, or do not decode (a gzip body that is not gzip). */
    private static FhirException unreadable(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return new FhirException(408, IssueType.TIMEOUT, "the request body did not arrive in time", null, e);
            }
            if (t instanceof java.util.zip.ZipException) {
                return new FhirException(400, IssueType.STRUCTURE, "the request body is declared gzip-compressed"
                        + " (Content-Encoding: gzip) but is not valid gzip", null, e);
            }
        }
        return new FhirException(400, IssueType.STRUCTURE, "the request body could not be read", null, e);
    }

    private FhirException tooLarge() {
        return new FhirException(413, IssueType.TOO_LONG, "the request body is larger than this server's limit of "
                + maxBodyBytes + " bytes");
    }

    private static FhirResponse internalError(RuntimeException e) {
        String incident = UUID.randomUUID().toString();
        LOG.error("unexpected failure, incident {}", incident, e);
        return OperationOutcomes.response(new FhirException(500, IssueType.EXCEPTION,
                "the server failed unexpectedly; the administrator can find incident " + incident + " in its log"));
    }

    /** Renders and writes the answer; returns the status sent. */
    private static int send(Request request, Response response, Callback callback, FhirRequest fhirRequest,
            FhirResponse fhirResponse) {
        if (fhirResponse.body() instanceof ResponseBody.File file && fhirResponse.status() < 300) {
            sendFile(request, response, callback, fhirResponse, file);
            return fhirResponse.status();
        }
        RenderOptions options;
        byte[] bytes;
        try {
            options = fhirRequest == null ? RenderOptions.COMPACT_JSON : Negotiation.options(fhirRequest);
            if (fhirResponse.status() >= 400) {
                options = new RenderOptions(options.format(), options.pretty(), dev.fhirbolt.fhir.SummaryMode.FALSE,
                        java.util.Optional.empty());
            }
            bytes = render(fhirResponse.body(), options);
        } catch (FhirException e) {
            fhirResponse = OperationOutcomes.response(e);
            options = new RenderOptions(fhirRequest == null ? FhirFormat.JSON : Negotiation.formatOrJson(fhirRequest),
                    false, dev.fhirbolt.fhir.SummaryMode.FALSE, java.util.Optional.empty());
            bytes = render(fhirResponse.body(), options);
        } catch (RuntimeException e) {
            fhirResponse = internalError(e);
            options = RenderOptions.COMPACT_JSON;
            bytes = render(fhirResponse.body(), options);
        }
        response.setStatus(fhirResponse.status());
        fhirResponse.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        if (bytes != null) {
            String contentType = fhirResponse.body() instanceof ResponseBody.Raw raw ? raw.contentType()
                    : options.format().mediaType() + ";charset=utf-8";
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        if (bytes == null || "HEAD".equals(request.getMethod())) {
            if (bytes != null) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
            }
            response.write(true, ByteBuffer.allocate(0), callback);
            return fhirResponse.status();
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return fhirResponse.status();
    }

    private static void sendFile(Request request, Response response, Callback callback, FhirResponse fhirResponse,
            ResponseBody.File file) {
        response.setStatus(fhirResponse.status());
        fhirResponse.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, file.contentType());
        try {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, java.nio.file.Files.size(file.path()));
            if (!"HEAD".equals(request.getMethod())) {
                try (var out = Content.Sink.asOutputStream(response)) {
                    java.nio.file.Files.copy(file.path(), out);
                }
            } else {
                response.write(true, ByteBuffer.allocate(0), Callback.NOOP);
            }
            callback.succeeded();
        } catch (IOException | RuntimeException e) {
            LOG.warn("download of {} failed", file.path(), e);
            callback.failed(e);
        }
    }

    private static byte[] render(ResponseBody body, RenderOptions options) {
        return switch (body) {
            case ResponseBody.Stored stored -> ResourceWriter.renderStored(stored.version().json(), options);
            case ResponseBody.Model model -> ResourceWriter.render(model.resource(), options);
            case ResponseBody.Bundle bundle -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                BundleRenderer.write(bundle.content(), options, out);
                yield out.toByteArray();
            }
            case ResponseBody.Raw raw -> raw.bytes();
            case ResponseBody.None none -> null;
            case ResponseBody.File file -> null;
        };
    }
}
