package dev.fhirbolt.auth;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Server-rendered pages: escaping, the common frame and the security headers every page carries. */
final class Html {

    static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;background:#fafafa}
            h1{font-size:1.5rem}h2{font-size:1.15rem}
            label{display:block;margin:.6rem 0 .2rem}
            input[type=text],input[type=password],input[type=search],select{width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}
            fieldset{border:1px solid #ccc;margin:1rem 0;padding:.5rem 1rem}
            fieldset label{display:flex;gap:.5rem;align-items:flex-start;margin:.4rem 0}
            button{padding:.55rem 1.2rem;font-size:1rem;margin:.8rem .5rem 0 0;cursor:pointer}
            .primary{background:#0b5cad;color:#fff;border:1px solid #0b5cad;border-radius:4px}
            .secondary{background:#fff;color:#0b5cad;border:1px solid #0b5cad;border-radius:4px}
            .error{color:#a00;border:1px solid #a00;padding:.5rem 1rem;background:#fff0f0}
            .note{color:#555;font-size:.9rem}
            .context{background:#eef4fb;padding:.5rem 1rem;border-left:4px solid #0b5cad}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}
            """;

    private Html() {
    }

    static String esc(String s) {
        return dev.fhirbolt.common.HtmlText.escape(s);
    }

    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<title>" + esc(title) + " - Fhirbolt</title><link rel=\"stylesheet\" href=\"/auth/style.css\">"
                + "</head><body><main>\n<h1>" + esc(title) + "</h1>\n" + body + "\n</main></body></html>\n";
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + esc(name) + "\" value=\"" + esc(value) + "\">";
    }

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

    static void send(Response response, Callback callback, int status, String title, String body) {
        securityHeaders(response);
        Http.send(response, callback, status, "text/html;charset=utf-8", page(title, body));
    }

    static void error(Response response, Callback callback, int status, String message) {
        send(response, callback, status, "Cannot continue",
                "<p class=\"error\" role=\"alert\">" + esc(message) + "</p>"
                        + "<p class=\"note\">Go back to the app and try again, or ask its publisher for help.</p>");
    }
}
