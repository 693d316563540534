package dev.fhirbolt.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Small helpers over Jetty core requests and responses. */
final class Http {

    private Http() {
    }

    /** Request parameters by name; OAuth forbids repeating one, which {@link #repeated()} reports. */
    static final class Params {
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        void add(String name, String value) {
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }

        /** The value, or null when absent or empty. */
        String get(String name) {
            List<String> v = values.get(name);
            if (v == null || v.isEmpty() || v.get(0) == null || v.get(0).isEmpty()) {
                return null;
            }
            return v.get(0);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        /** The name of a parameter given more than once, if any. */
        Optional<String> repeated() {
            return values.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).findFirst();
        }

        Map<String, List<String>> asMap() {
            return values;
        }
    }

    static Params query(Request request) {
        Params p = new Params();
        Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        for (Fields.Field f : fields) {
            for (String v : f.getValues()) {
                p.add(f.getName(), v);
            }
        }
        return p;
    }

    static boolean isForm(Request request) {
        String ct = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return ct != null && MimeTypes.getBaseType(ct) == MimeTypes.Type.FORM_ENCODED;
    }

    /** The url-encoded form body (empty when the body is not a form). */
    static Params form(Request request) throws Exception {
        Params p = new Params();
        if (!isForm(request)) {
            return p;
        }
        Fields fields = FormFields.from(request, StandardCharsets.UTF_8, 200, 64 * 1024).get();
        for (Fields.Field f : fields) {
            for (String v : f.getValues()) {
                p.add(f.getName(), v);
            }
        }
        return p;
    }

    static String body(Request request) throws Exception {
        return Content.Source.asString(request, StandardCharsets.UTF_8);
    }

    static String cookie(Request request, String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        if (cookies == null) {
            return null;
        }
        for (HttpCookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    static void setCookie(Request request, Response response, String name, String value, long maxAgeSeconds) {
        HttpCookie cookie = HttpCookie.build(name, value).path("/auth").httpOnly(true)
                .sameSite(HttpCookie.SameSite.LAX).secure(request.isSecure()).maxAge(maxAgeSeconds).build();
        Response.addCookie(response, cookie);
    }

    /** user and password of an HTTP Basic header (both form-url-decoded, as RFC 6749 2.3.1 asks), or null. */
    static String[] basic(Request request) {
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return null;
            }
            return new String[] {urlDecode(decoded.substring(0, colon)), urlDecode(decoded.substring(colon + 1))};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String bearer(Request request) {
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String t = h.substring(7).trim();
        return t.isEmpty() ? null : t;
    }

    static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String urlDecode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static void noStore(Response response) {
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.PRAGMA, "no-cache");
    }

    static void cors(Response response) {
        response.getHeaders().put("Access-Control-Allow-Origin", "*");
        response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        response.getHeaders().put("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept");
        response.getHeaders().put("Access-Control-Max-Age", "600");
    }

    static void json(Response response, Callback callback, int status, Map<String, ?> body) {
        send(response, callback, status, "application/json;charset=utf-8", Json.write(body));
    }

    static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        Content.Sink.write(response, true, body, callback);
    }

    static void redirect(Request request, Response response, Callback callback, String location) {
        noStore(response);
        Response.sendRedirect(request, response, callback, 303, location, false);
    }

    static void headers(Response response, HttpField... fields) {
        for (HttpField f : fields) {
            response.getHeaders().put(f);
        }
    }

    /** Appends query parameters to a URI that may already have some. */
    static String withQuery(String uri, Map<String, String> params) {
        StringBuilder b = new StringBuilder(uri);
        char sep = uri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            b.append(sep).append(urlEncode(e.getKey())).append('=').append(urlEncode(e.getValue()));
            sep = '&';
        }
        return b.toString();
    }
}
