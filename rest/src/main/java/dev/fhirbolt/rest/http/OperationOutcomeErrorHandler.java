package dev.fhirbolt.rest.http;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.rest.OperationOutcomes;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the errors Jetty finds itself (a malformed request line or header, an ambiguous or illegal path, a URI or
 * headers over the limits) as OperationOutcome JSON instead of an HTML page, for every status and method.
 */
public final class OperationOutcomeErrorHandler extends ErrorHandler {

    private static final Logger LOG = LoggerFactory.getLogger(OperationOutcomeErrorHandler.class);
    private static final String CONTENT_TYPE = "application/fhir+json;charset=utf-8";

    private final int maxHeaderBytes;

    /** @param maxHeaderBytes the connector's limit on the request line and on the headers, for the messages */
    public OperationOutcomeErrorHandler(int maxHeaderBytes) {
        this.maxHeaderBytes = maxHeaderBytes;
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400) {
            status = HttpStatus.INTERNAL_SERVER_ERROR_500;
        }
        String message = request.getAttribute(ERROR_MESSAGE) instanceof String m ? m : null;
        if (status == 500 && request.getAttribute(ERROR_EXCEPTION) instanceof Throwable cause) {
            LOG.warn("request {} {} failed in the HTTP layer", request.getMethod(), request.getHttpURI().getPath(),
                    cause);
        }
        byte[] body = outcome(status, message);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(ERROR_CACHE_CONTROL);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        return ByteBuffer.wrap(outcome(status, reason));
    }

    /** The OperationOutcome JSON for a status Jetty chose, with a message a person can act on. */
    byte[] outcome(int status, String jettyMessage) {
        return ResourceWriter.render(OperationOutcomes.of(exception(status, jettyMessage)), RenderOptions.COMPACT_JSON);
    }

    private FhirException exception(int status, String jettyMessage) {
        String detail = printable(jettyMessage);
        String reason = HttpStatus.getMessage(status);
        boolean specific = detail != null && !detail.equalsIgnoreCase(reason);
        return switch (status) {
            case 400 -> new FhirException(400, IssueType.STRUCTURE, "the HTTP request is malformed"
                    + (specific ? ": " + detail : "") + " (an illegal or ambiguous path, such as an encoded '/', '..'"
                    + " or NUL, a bad header, or a broken request line)");
            case 408 -> new FhirException(408, IssueType.TIMEOUT, "the request was not received in time");
            case 413 -> new FhirException(413, IssueType.TOO_LONG, "the request is larger than this server accepts");
            case 414 -> new FhirException(414, IssueType.TOO_LONG, "the request URI is longer than this server's"
                    + " limit of " + maxHeaderBytes + " bytes; send a long search as POST [type]/_search with the"
                    + " parameters in a form body");
            case 431 -> new FhirException(431, IssueType.TOO_LONG, "the request headers are larger than this"
                    + " server's limit of " + maxHeaderBytes + " bytes");
            case 505 -> new FhirException(505, IssueType.NOT_SUPPORTED, "this server speaks HTTP/1.0 and HTTP/1.1");
            default -> status >= 500
                    ? new FhirException(status, IssueType.EXCEPTION, "the server could not answer the request"
                            + (reason != null ? " (" + reason + ")" : ""))
                    : new FhirException(status, status == 404 ? IssueType.NOT_FOUND : IssueType.PROCESSING,
                            specific ? detail : reason != null ? reason : "the request was refused");
        };
    }

    private static String printable(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }
}
