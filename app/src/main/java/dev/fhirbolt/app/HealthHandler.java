package dev.fhirbolt.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** GET /health: 200 while the server accepts work, 503 once shutdown has begun; names the storage and version. */
final class HealthHandler extends Handler.Abstract {

    private volatile boolean stopping;
    private final String engine;

    HealthHandler(String engine) {
        this.engine = engine;
    }

    void markStopping() {
        stopping = true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/health".equals(Request.getPathInContext(request))) {
            return false;
        }
        String body = "{\"status\":\"" + (stopping ? "STOPPING" : "UP") + "\",\"storage\":\"" + engine
                + "\",\"version\":\"" + BuildVersion.version() + "\"}";
        response.setStatus(stopping ? 503 : 200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
