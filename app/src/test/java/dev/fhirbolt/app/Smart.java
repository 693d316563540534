package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gets real access tokens from the real auth server: the browser flow over plain HTTP (sign-in, picker, consent,
 * code exchange with PKCE), the admin API for registering clients, and client_credentials with an ES384 client
 * assertion for backend services.
 */
final class Smart {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REDIRECT = "http://app.example/cb";

    final String base;
    final String adminPassword;
    /** The FHIR base tokens are asked for: the node's own, or the cluster's public base URL. */
    String audience;
    private final HttpClient plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    Smart(String base, String adminPassword) {
        this.base = base;
        this.adminPassword = adminPassword;
        this.audience = base;
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

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    // ------------------------------------------------------------------ plain HTTP

    Res send(HttpClient http, String method, String pathOrUrl, String body, String contentType, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl
                : base + pathOrUrl)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Res(r.statusCode(), r.headers().map(), r.body());
    }

    /** A FHIR request with a bearer token (null: none). */
    Res fhir(String token, String method, String path, String body, String... headers) throws Exception {
        List<String> h = new ArrayList<>();
        String contentType = "application/fhir+json";
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                contentType = headers[i + 1];
            } else {
                h.add(headers[i]);
                h.add(headers[i + 1]);
            }
        }
        if (token != null) {
            h.add("Authorization");
            h.add("Bearer " + token);
        }
        h.add("Accept");
        h.add("application/fhir+json");
        return send(plain, method, path, body, contentType, h.toArray(String[]::new));
    }

    Res get(String token, String path, String... headers) throws Exception {
        return fhir(token, "GET", path, null, headers);
    }

    Res admin(String method, String path, String json) throws Exception {
        return send(plain, method, path, json, "application/json", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)));
    }

    Res form(HttpClient http, String path, Map<String, ?> form) throws Exception {
        return send(http, "POST", path, formBody(form), "application/x-www-form-urlencoded");
    }

    // ------------------------------------------------------------------ clients

    /** A public app (PKCE) with redirect {@link #REDIRECT} and every user-facing scope. */
    void registerPublicApp(String clientId) throws Exception {
        Res r = admin("POST", "/auth/admin/clients", "{\"client_id\":\"" + clientId + "\",\"client_name\":\""
                + clientId + "\",\"type\":\"public\",\"redirect_uris\":[\"" + REDIRECT + "\"],"
                + "\"launch_url\":\"https://launch.example/app\"}");
        assertTrue(r.status() == 201 || r.status() == 200, r.body());
    }

    /** A backend service with a fresh P-384 key; answers the key to sign assertions with. */
    KeyPair registerBackend(String clientId, String scopes) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair kp = g.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) kp.getPublic();
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"k1\",\"x\":\"" + b64(fixed(pub.getW().getAffineX()))
                + "\",\"y\":\"" + b64(fixed(pub.getW().getAffineY())) + "\"}";
        Res r = admin("POST", "/auth/admin/clients", "{\"client_id\":\"" + clientId + "\",\"type\":\"backend-service\","
                + "\"scope\":\"" + scopes + "\",\"jwks\":{\"keys\":[" + jwk + "]}}");
        assertTrue(r.status() == 201 || r.status() == 200, r.body());
        return kp;
    }

    String backendToken(String clientId, KeyPair key, String scope) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "client_credentials");
        f.put("scope", scope);
        f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        f.put("client_assertion", assertion(clientId, key));
        Res r = form(plain, "/auth/token", f);
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    private String assertion(String clientId, KeyPair key) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"ES384\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId + "\",\"aud\":\"" + audience
                + "/auth/token\",\"exp\":" + (now + 240) + ",\"jti\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64(s.sign());
    }

    private static byte[] fixed(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[48];
        int copy = Math.min(raw.length, 48);
        System.arraycopy(raw, raw.length - copy, out, 48 - copy, copy);
        return out;
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ------------------------------------------------------------------ the browser flow

    /** Signs in as {@code user} and approves {@code scope} for {@code clientId}; answers the token response. */
    JsonNode userToken(String clientId, String user, String password, String scope, String pickPatient)
            throws Exception {
        String[] codeAndVerifier = authorizationCode(clientId, user, password, scope, pickPatient);
        Res t = redeem(clientId, codeAndVerifier);
        assertEquals(200, t.status(), t.body());
        return t.json();
    }

    /** Exchanges an authorization code (with its PKCE verifier) at the token endpoint. */
    Res redeem(String clientId, String[] codeAndVerifier) throws Exception {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("grant_type", "authorization_code");
        f.put("code", codeAndVerifier[0]);
        f.put("redirect_uri", REDIRECT);
        f.put("code_verifier", codeAndVerifier[1]);
        f.put("client_id", clientId);
        return form(plain, "/auth/token", f);
    }

    /** Signs in and approves, up to the authorization code; answers the code and its PKCE verifier. */
    String[] authorizationCode(String clientId, String user, String password, String scope, String pickPatient)
            throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        byte[] v = new byte[32];
        new SecureRandom().nextBytes(v);
        String verifier = b64(v);
        String challenge = b64(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("response_type", "code");
        p.put("client_id", clientId);
        p.put("redirect_uri", REDIRECT);
        p.put("scope", scope);
        p.put("state", "st" + System.nanoTime());
        p.put("aud", audience);
        p.put("code_challenge", challenge);
        p.put("code_challenge_method", "S256");
        Res r = send(browser, "GET", "/auth/authorize?" + formBody(p), null, null);
        assertEquals(303, r.status(), r.body());
        String loc = r.header("Location");
        String flow = queryOf(loc).get("id");
        assertNotNull(flow, loc);
        Res page = send(browser, "GET", loc, null, null);
        String code = null;
        for (int step = 0; step < 6 && code == null; step++) {
            String html = page.body();
            Res next;
            if (html.contains("<h1>Sign in</h1>")) {
                next = form(browser, "/auth/login", Map.of("csrf", field(html, "csrf"), "flow", flow, "username", user,
                        "password", password));
            } else if (html.contains("<h1>Choose a patient</h1>")) {
                next = form(browser, "/auth/pick", Map.of("csrf", field(html, "csrf"), "flow", flow, "patient",
                        pickPatient));
            } else if (html.contains("<h1>Choose an encounter</h1>")) {
                next = form(browser, "/auth/pick", Map.of("csrf", field(html, "csrf"), "flow", flow, "encounter", ""));
            } else if (html.contains("<h1>Allow access?</h1>")) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("csrf", field(html, "csrf"));
                f.put("flow", flow);
                f.put("decision", "allow");
                f.put("scope", checkboxes(html));
                Res done = form(browser, "/auth/consent", f);
                assertEquals(303, done.status(), done.body());
                code = queryOf(done.header("Location")).get("code");
                assertNotNull(code, done.header("Location"));
                break;
            } else {
                throw new AssertionError("unexpected page " + page.status() + ": " + html);
            }
            assertEquals(303, next.status(), next.body());
            page = send(browser, "GET", next.header("Location"), null, null);
        }
        return new String[] {code, verifier};
    }

    static String formBody(Map<String, ?> form) {
        StringBuilder b = new StringBuilder();
        for (var e : form.entrySet()) {
            List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
            for (Object v : values) {
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

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find(), "no field " + name + " in " + html);
        return m.group(1).replace("&amp;", "&");
    }

    private static List<String> checkboxes(String html) {
        Matcher m = Pattern.compile("type=\"checkbox\" id=\"[^\"]+\" name=\"scope\" value=\"([^\"]*)\"").matcher(html);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1).replace("&amp;", "&"));
        }
        return out;
    }

    /** The ids (Type/id) of a Bundle's entries with the given search mode (null: all). */
    static List<String> ids(JsonNode bundle, String mode) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            if (mode != null && !mode.equals(e.path("search").path("mode").asText())) {
                continue;
            }
            JsonNode r = e.path("resource");
            out.add(r.path("resourceType").asText() + "/" + r.path("id").asText());
        }
        return out;
    }
}
