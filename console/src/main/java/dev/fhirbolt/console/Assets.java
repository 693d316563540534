package dev.fhirbolt.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The console's own style sheet and script, served from the jar (no CDN: the pages work offline). */
final class Assets {

    private static final Map<String, String> TYPES = Map.of("console.css", "text/css;charset=utf-8",
            "console.js", "text/javascript;charset=utf-8");
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    /** Sends the named asset; false when there is no such asset. */
    boolean send(String name, Response response, Callback callback) throws IOException {
        String type = TYPES.get(name);
        if (type == null) {
            return false;
        }
        byte[] bytes = loaded.get(name);
        if (bytes == null) {
            try (InputStream in = Assets.class.getResourceAsStream("assets/" + name)) {
                if (in == null) {
                    return false;
                }
                bytes = in.readAllBytes();
            }
            loaded.put(name, bytes);
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=600");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
