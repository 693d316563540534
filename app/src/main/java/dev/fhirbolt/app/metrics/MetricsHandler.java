package dev.fhirbolt.app.metrics;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics} for Prometheus, to callers the access check lets in (the admin, or anyone without security). */
public final class MetricsHandler extends Handler.Abstract {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;
    private final Predicate<Request> allowed;

    public MetricsHandler(ServerMetrics metrics, Predicate<Request> allowed) {
        this.metrics = metrics;
        this.allowed = allowed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/metrics".equals(Request.getPathInContext(request))) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (!allowed.test(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"fhirbolt-admin\"");
            return answer(response, callback, 401, "application/json",
                    "{\"error\":\"unauthorized\",\"error_description\":\"admin credentials are required\"}");
        }
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return answer(response, callback, 405, "application/json",
                    "{\"error\":\"method_not_allowed\",\"error_description\":\"/metrics answers GET only\"}");
        }
        return answer(response, callback, 200, CONTENT_TYPE, metrics.scrape());
    }

    private static boolean answer(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
