package dev.fhirbolt.app;

import dev.fhirbolt.authz.SecurityHandler;
import dev.fhirbolt.rest.http.FhirHttpHandler;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per HTTP request to the logger {@code fhirbolt.access} (setting {@code access-log=on}): method, path,
 * status, bytes sent, duration and the SMART client. The query string is left out (it may carry codes, tokens or
 * search values about patients), and so are headers; the fields are also key-value pairs for the JSON log format.
 */
final class AccessLog implements RequestLog {

    private static final Logger LOG = LoggerFactory.getLogger("fhirbolt.access");

    @Override
    public void log(Request request, Response response) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        int status = response.getStatus();
        long bytes = Response.getContentBytesWritten(response);
        long millis = NanoTime.millisSince(request.getBeginNanoTime());
        String client = client(request);
        LOG.atInfo().addKeyValue("method", method).addKeyValue("path", path).addKeyValue("status", status)
                .addKeyValue("bytes", bytes).addKeyValue("millis", millis).addKeyValue("client", client)
                .log("{} {} {} {} B {} ms client={}", method, path, status, bytes, millis, client);
    }

    /** The registered client the access token belongs to (not the user), or {@code -}. */
    private static String client(Request request) {
        if (request.getAttribute(FhirHttpHandler.ATTRIBUTES) instanceof Map<?, ?> attributes
                && attributes.get(SecurityHandler.CLIENT_ID) instanceof String owner) {
            int bar = owner.indexOf('|');
            return bar < 0 ? owner : owner.substring(0, bar);
        }
        return "-";
    }
}
