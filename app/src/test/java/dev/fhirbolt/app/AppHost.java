package dev.fhirbolt.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serves a browser app on its own origin (127.0.0.1, a free port), as an app's publisher would: its pages from the
 * test resources folder {@code resourceDir}, and extra files (such as a library's bundle) from disk.
 */
final class AppHost implements AutoCloseable {

    private static final Map<String, String> TYPES = Map.of("html", "text/html;charset=utf-8", "js",
            "text/javascript;charset=utf-8");

    private final HttpServer server;
    final String base;

    AppHost(String resourceDir, Map<String, Path> files) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, resourceDir, files);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, String resourceDir, Map<String, Path> files) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(1);
        byte[] body = null;
        if (files.containsKey(name)) {
            body = Files.readAllBytes(files.get(name));
        } else if (name.matches("[a-z-]+\\.(html|js)")) {
            try (InputStream in = AppHost.class.getResourceAsStream("/" + resourceDir + "/" + name)) {
                body = in == null ? null : in.readAllBytes();
            }
        }
        if (body == null || !"GET".equals(exchange.getRequestMethod())) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        String ext = name.substring(name.lastIndexOf('.') + 1);
        exchange.getResponseHeaders().set("Content-Type", TYPES.getOrDefault(ext, "application/octet-stream"));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
