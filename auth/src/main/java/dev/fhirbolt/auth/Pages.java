package dev.fhirbolt.auth;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends the browser pages: renders a precompiled JTE template ({@code auth/src/main/jte}, compiled and type-checked
 * at build time, HTML content type so the engine escapes every value for where it stands) with the security headers
 * every page carries; also the error page and the style sheet.
 */
final class Pages {

    private static final TemplateEngine ENGINE =
            TemplateEngine.createPrecompiled(null, ContentType.Html, null, "dev.fhirbolt.auth.pages");

    /** The pages' style sheet, served at {@code /auth/style.css}. */
    static final String CSS = resource("style.css");

    private Pages() {
    }

    /** Renders {@code template} with {@code view} and sends it as the answer, with the security headers. */
    static void send(Response response, Callback callback, int status, String template, Object view) {
        StringOutput out = new StringOutput();
        ENGINE.render(template, view, out);
        sendHtml(response, callback, status, out.toString());
    }

    /** Renders a template that takes no parameters. */
    static void send(Response response, Callback callback, int status, String template) {
        StringOutput out = new StringOutput();
        ENGINE.render(template, Map.of(), out);
        sendHtml(response, callback, status, out.toString());
    }

    static void error(Response response, Callback callback, int status, String message) {
        send(response, callback, status, "error.jte", new Views.Error(message));
    }

    /** No framing, no script, no inline style, no referrer, no caching. */
    static void securityHeaders(Response response) {
        var h = response.getHeaders();
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy",
                "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        h.put(HttpHeader.PRAGMA, "no-cache");
    }

    private static void sendHtml(Response response, Callback callback, int status, String html) {
        securityHeaders(response);
        Http.send(response, callback, status, "text/html;charset=utf-8", html);
    }

    private static String resource(String name) {
        try (InputStream in = Pages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
