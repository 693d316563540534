package dev.fhirbolt.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** The body of a posted console form: URL-encoded and small. */
final class FormBodies {

    private static final int MAX = 8192;

    private FormBodies() {
    }

    static String read(Request request) {
        String type = request.getHeaders().get("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ConsoleException(415, "The form must be sent as application/x-www-form-urlencoded.");
        }
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(MAX + 1);
            if (body.length > MAX) {
                throw new ConsoleException(413, "The form is larger than " + MAX + " bytes.");
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConsoleException(400, "The form could not be read.");
        }
    }
}
