package dev.fhirbolt.console;

import gg.jte.Content;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/** Renders a precompiled JTE template (compiled and type-checked at build time) and sends it with safe headers. */
final class Render {

    private static final TemplateEngine ENGINE = TemplateEngine.createPrecompiled(ContentType.Html);
    /** Where the layout's content goes, split on to send the layout's two halves around a streamed content. */
    private static final String CONTENT_MARK = "<!--fhirbolt:content-->";

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

    /**
     * Sends the layout up to the content at once (flushed), then makes the view, renders the content template and
     * sends it with the rest of the layout. The status is 200 by then: a failure while making the view is shown in
     * the page as the HTML {@code failure} gives for it.
     */
    static void streamed(Response response, Callback callback, String template, Rendered.Streamed page,
            Function<RuntimeException, String> failure) {
        Utf8ByteOutput layout = new Utf8ByteOutput();
        Content mark = output -> output.writeContent(CONTENT_MARK);
        ENGINE.render("layout.jte", Map.of("frame", page.frame(), "content", mark), layout);
        String whole = new String(layout.toByteArray(), StandardCharsets.UTF_8);
        int at = whole.indexOf(CONTENT_MARK);
        headers(response);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        Utf8ByteOutput first = new Utf8ByteOutput();
        first.writeContent(whole.substring(0, at));
        if (page.leadTemplate() != null) {
            ENGINE.render(page.leadTemplate(), page.leadView(), first);
        }
        try (Blocker.Callback sent = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(first.toByteArray()), sent);
            sent.block();
        } catch (IOException e) {
            callback.failed(e); // the browser went away
            return;
        }
        Utf8ByteOutput content = new Utf8ByteOutput();
        try {
            ENGINE.render(template, page.view().get(), content);
        } catch (RuntimeException e) {
            content = new Utf8ByteOutput();
            content.writeContent(failure.apply(e));
        }
        content.writeContent(whole.substring(at + CONTENT_MARK.length()));
        response.write(true, ByteBuffer.wrap(content.toByteArray()), callback);
    }

    static void raw(Response response, Callback callback, int status, Rendered.Raw raw) {
        byte[] bytes = raw.body();
        headers(response);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, raw.contentType());
        if (raw.filename() != null) {
            response.getHeaders().put("Content-Disposition", "attachment; filename=\""
                    + raw.filename().replaceAll("[^A-Za-z0-9._-]", "_") + "\"");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    static void headers(Response response) {
        var h = response.getHeaders();
        h.put("X-Frame-Options", "DENY");
        h.put("Content-Security-Policy", "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self';"
                + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "same-origin");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
    }

    static void redirect(Request request, Response response, Callback callback, String location) {
        Response.sendRedirect(request, response, callback, 303, location, true);
    }
}
