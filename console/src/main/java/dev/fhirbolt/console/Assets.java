package dev.fhirbolt.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The console's own style sheet and script, served from the jar (no CDN: the pages work offline). */
final class Assets {

    private final ClasspathFiles files = new ClasspathFiles("assets", Map.of("console.css", "text/css;charset=utf-8",
            "console.js", "text/javascript;charset=utf-8"));

    /** Sends the named asset; false when there is no such asset. */
    boolean send(String name, Response response, Callback callback) throws IOException {
        ClasspathFiles.File file = files.get(name).orElse(null);
        if (file == null) {
            return false;
        }
        byte[] bytes = file.bytes();
        String type = file.type();
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=600");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
