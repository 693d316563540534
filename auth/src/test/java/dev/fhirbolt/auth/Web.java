package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain java.net.http client with its own cookie jar: one "browser" for HTTP-level flows. */
final class Web {

    final String base;
    final HttpClient http;

    Web(String base) {
        this.base = base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    record Res(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String location() {
            return header("Location");
        }
    }

    Res get(String pathOrUrl, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Res postForm(String pathOrUrl, Map<String, ?> form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathOrUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    Res sendJson(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
    }

    private Res send(HttpRequest r) throws Exception {
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        return new Res(res.statusCode(), res.headers().map(), res.body());
    }

    static String formBody(Map<String, ?> form) {
        StringBuilder b = new StringBuilder();
        for (var e : form.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
            for (Object v : values) {
                if (v == null) {
                    continue;
                }
                if (!b.isEmpty()) {
                    b.append('&');
                }
                b.append(enc(e.getKey())).append('=').append(enc(v.toString()));
            }
        }
        return b.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static Map<String, String> queryOf(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q < 0) {
            return out;
        }
        for (String pair : url.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(user) + ":" + enc(password))
                .getBytes(StandardCharsets.UTF_8));
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no field " + name + " in " + html);
        return m.group(1).replace("&amp;", "&");
    }

    static List<String> checkboxes(String html) {
        Matcher m = Pattern.compile("type=\"checkbox\" id=\"[^\"]+\" name=\"scope\" value=\"([^\"]*)\"").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("&amp;", "&"));
        }
        return out;
    }

    // ---------------------------------------------------------------- PKCE

    static String verifier() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    // ---------------------------------------------------------------- one authorization through the HTML forms

    /** What a finished authorization left: the redirect's query, plus the PKCE verifier used. */
    record Outcome(Map<String, String> redirect, String verifier, String redirectUri) {
        String code() {
            return redirect.get("code");
        }
    }

    /** Parameters of one authorization request; tweak before {@link #authorize}. */
    static Map<String, String> request(String base, String clientId, String scope, String verifier) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", base + "/app/callback");
        p.put("scope", scope);
        p.put("state", "st-" + System.nanoTime());
        p.put("aud", base);
        p.put("code_challenge", challenge(verifier));
        p.put("code_challenge_method", "S256");
        return p;
    }

    /**
     * Runs the whole browser part over HTTP: authorize, sign in, pick (patient, encounter), consent. {@code untick}
     * scopes are unticked on the consent page.
     */
    Outcome authorize(Map<String, String> params, String username, String password, String patient,
            String encounter, List<String> untick) throws Exception {
        String verifierHint = params.remove("_verifier");
        Res r = get("/auth/authorize?" + formBody(params));
        assertEquals(303, r.status(), r.body());
        String loc = r.location();
        if (!loc.startsWith("/auth/flow")) {
            return new Outcome(queryOf(loc), verifierHint, params.get("redirect_uri"));
        }
        String flow = queryOf(loc).get("id");
        Res page = get(loc);
        for (int step = 0; step < 6; step++) {
            String html = page.body();
            if (html.contains("<h1>Sign in</h1>")) {
                Res login = postForm("/auth/login", Map.of("csrf", field(html, "csrf"), "flow", flow,
                        "username", username, "password", password));
                assertEquals(303, login.status(), login.body());
                page = get(login.location());
            } else if (html.contains("<h1>Choose a patient</h1>")) {
                Res pick = postForm("/auth/pick", Map.of("csrf", field(html, "csrf"), "flow", flow, "patient", patient));
                assertEquals(303, pick.status(), pick.body());
                page = get(pick.location());
            } else if (html.contains("<h1>Choose an encounter</h1>")) {
                Res pick = postForm("/auth/pick", Map.of("csrf", field(html, "csrf"), "flow", flow, "encounter",
                        encounter == null ? "" : encounter));
                assertEquals(303, pick.status(), pick.body());
                page = get(pick.location());
            } else if (html.contains("<h1>Allow access?</h1>")) {
                List<String> scopes = new ArrayList<>(checkboxes(html));
                scopes.removeAll(untick);
                Map<String, Object> form = new LinkedHashMap<>();
                form.put("csrf", field(html, "csrf"));
                form.put("flow", flow);
                form.put("decision", "allow");
                form.put("scope", scopes);
                Res done = postForm("/auth/consent", form);
                assertEquals(303, done.status(), done.body());
                return new Outcome(queryOf(done.location()), verifierHint, params.get("redirect_uri"));
            } else {
                throw new AssertionError("unexpected page " + page.status() + ": " + html);
            }
        }
        throw new AssertionError("too many steps");
    }

    Res token(Map<String, ?> form, String... headers) throws Exception {
        return postForm("/auth/token", form, headers);
    }

    static Map<String, Object> codeForm(Outcome o, String clientId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", o.code());
        f.put("redirect_uri", o.redirectUri());
        f.put("code_verifier", o.verifier());
        if (clientId != null) {
            f.put("client_id", clientId);
        }
        return f;
    }
}
