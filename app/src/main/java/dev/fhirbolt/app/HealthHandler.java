package dev.fhirbolt.app;

import dev.fhirbolt.common.Health;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * GET /health: 200 {@code UP} while the server accepts work; 503 once shutdown has begun ({@code STOPPING}), or while
 * a part reports a condition to {@link Health}: {@code DEGRADED} (e.g. a full disk: reads work, writes are refused) or
 * {@code DOWN} (e.g. the commit pipeline stopped), with each condition's component and reason;
 * names the storage engine and the version.
 */
final class HealthHandler extends Handler.Abstract {

    private volatile boolean stopping;
    private final String engine;
    private final Health health;
    /** In a cluster: how far this node has applied the transaction log (to tell a lagging node). */
    private final java.util.Optional<dev.fhirbolt.cluster.ClusterNode> cluster;

    HealthHandler(String engine, Health health, java.util.Optional<dev.fhirbolt.cluster.ClusterNode> cluster) {
        this.engine = engine;
        this.health = health;
        this.cluster = cluster;
    }

    void markStopping() {
        stopping = true;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!"/health".equals(Request.getPathInContext(request))) {
            return false;
        }
        Health.Level level = health.level();
        String status = stopping ? "STOPPING" : level.name();
        StringBuilder body = new StringBuilder("{\"status\":\"").append(status).append("\",\"storage\":\"")
                .append(engine).append("\",\"version\":\"").append(BuildVersion.version()).append('"');
        cluster.ifPresent(node -> body.append(",\"cluster\":{\"appliedPosition\":").append(node.appliedPosition())
                .append('}'));
        var conditions = health.conditions();
        if (!conditions.isEmpty()) {
            body.append(",\"conditions\":[");
            for (int i = 0; i < conditions.size(); i++) {
                Health.Condition c = conditions.get(i);
                body.append(i == 0 ? "" : ",").append("{\"component\":\"").append(json(c.component()))
                        .append("\",\"status\":\"").append(c.level().name()).append("\",\"reason\":\"")
                        .append(json(c.reason())).append("\",\"since\":\"").append(c.since()).append("\"}");
            }
            body.append(']');
        }
        body.append('}');
        response.setStatus(stopping || level != Health.Level.UP ? 503 : 200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.toString();
    }
}
