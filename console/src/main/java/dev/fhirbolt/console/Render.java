package dev.fhirbolt.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Renders a precompiled JTE template (compiled and type-checked at build time) and sends it with safe headers. */
final class Render {

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);

    private Render() {
    }

    static void page(Response response, Callback callback, int status, String template, Object view) {
        Utf8ByteOutput out = new Utf8ByteOutput();
        ENGINE.render(template, view, out);
        byte[] bytes = out.toByteArray();
        headers(response);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void headers(Response response) {
        var h = response.getHeaders();
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:;"
                + " connect-src 'self';"
                + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "same-origin");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    static void redirect(Request request, Response response, Callback callback, String location) {
        Response.sendRedirect(request, response, callback, 303, location, true);
    }
}
