package dev.fhirbolt.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * A POST to a console page: its body, read once, either as a URL-encoded form whose {@code csrf} field must match
 * the session's token, or as a stream (a file upload) whose {@code X-CSRF-Token} header must.
 */
final class Posted {

    private final Request request;
    private final Session session;

    Posted(Request request, Session session) {
        this.request = request;
        this.session = session;
    }

    /** The form's fields, after the CSRF check; at most {@code max} bytes. */
    List<Map.Entry<String, String>> form(int max) {
        String type = header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ConsoleException(415, "The form must be sent as application/x-www-form-urlencoded.");
        }
        byte[] body = read(max);
        var fields = Forms.parse(new String(body, StandardCharsets.UTF_8));
        check(Forms.first(fields, "csrf"));
        return fields;
    }

    /** The raw body, after the CSRF check of the X-CSRF-Token header. */
    InputStream stream() {
        check(header("X-CSRF-Token"));
        return Content.Source.asInputStream(request);
    }

    /** The whole raw body (at most {@code max} bytes), after the CSRF check of the X-CSRF-Token header. */
    byte[] bytes(int max) {
        check(header("X-CSRF-Token"));
        return read(max);
    }

    String header(String name) {
        return request.getHeaders().get(name);
    }

    private byte[] read(int max) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                throw new ConsoleException(413, "The request is larger than " + max + " bytes.");
            }
            return body;
        } catch (IOException e) {
            throw new ConsoleException(400, "The request's body could not be read.");
        }
    }

    private void check(String token) {
        if (session == null || token == null || !Secure.equal(session.csrf, token)) {
            throw new ConsoleException(403, "The form has expired (its CSRF token does not match this session);"
                    + " open the page again.");
        }
    }
}
