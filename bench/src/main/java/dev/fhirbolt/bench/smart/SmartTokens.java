package dev.fhirbolt.bench.smart;

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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gets real access tokens from a Fhirbolt server's auth server, the way clients do: registers clients and a user with
 * the admin API, a backend-service token with client_credentials (an ES384 client assertion), and a patient-scoped
 * token through the browser flow (sign-in, consent, code exchange with PKCE) for a user whose fhirUser is a Patient.
 */
public final class SmartTokens {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REDIRECT = "http://bench.invalid/callback";

    private final String base;
    private final String adminPassword;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public SmartTokens(String base, String adminPassword) {
        this.base = base;
        this.adminPassword = adminPassword;
    }

    /** A backend service registered for {@code scope} (system/ scopes), and a token for all of it. */
    public String backendToken(String clientId, String scope) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair key = g.generateKeyPair();
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        String jwk = "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"k1\",\"x\":\"" + b64(fixed(pub.getW().getAffineX()))
                + "\",\"y\":\"" + b64(fixed(pub.getW().getAffineY())) + "\"}";
        admin("/auth/admin/clients", "{\"client_id\":\"" + clientId + "\",\"type\":\"backend-service\",\"scope\":\""
                + scope + "\",\"jwks\":{\"keys\":[" + jwk + "]}}");
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"ES384\",\"kid\":\"k1\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64(("{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId + "\",\"aud\":\"" + base
                + "/auth/token\",\"exp\":" + (now + 240) + ",\"jti\":\"" + UUID.randomUUID() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scope);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", header + "." + claims + "." + b64(s.sign()));
        return accessToken(post(http, "/auth/token", form));
    }

    /**
     * A token with {@code scope} (patient/ scopes) for a new user whose fhirUser is {@code patient}, obtained by a
     * public app through sign-in and consent: the token's launch patient is that patient.
     */
    public String patientToken(String patient, String scope) throws Exception {
        String suffix = Long.toString(System.nanoTime(), 36);
        String clientId = "bench-app-" + suffix;
        String user = "bench-user-" + suffix;
        String password = b64(random(18));
        admin("/auth/admin/clients", "{\"client_id\":\"" + clientId + "\",\"client_name\":\"bench\",\"type\":"
                + "\"public\",\"redirect_uris\":[\"" + REDIRECT + "\"]}");
        admin("/auth/admin/users", "{\"username\":\"" + user + "\",\"password\":\"" + password + "\",\"fhirUser\":\""
                + patient + "\",\"name\":\"Bench User\"}");
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String verifier = b64(random(32));
        String challenge = b64(MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        Map<String, Object> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", clientId);
        authorize.put("redirect_uri", REDIRECT);
        authorize.put("scope", "launch/patient " + scope);
        authorize.put("state", suffix);
        authorize.put("aud", base);
        authorize.put("code_challenge", challenge);
        authorize.put("code_challenge_method", "S256");
        HttpResponse<String> r = send(browser, "GET", "/auth/authorize?" + form(authorize), null, null);
        String location = redirect(r);
        String flow = query(location).get("id");
        HttpResponse<String> page = send(browser, "GET", location, null, null);
        String code = null;
        for (int step = 0; step < 4 && code == null; step++) {
            String html = page.body();
            if (html.contains("<h1>Sign in</h1>")) {
                page = send(browser, "GET", redirect(post(browser, "/auth/login", Map.of("csrf", field(html, "csrf"),
                        "flow", flow, "username", user, "password", password))), null, null);
            } else if (html.contains("<h1>Allow access?</h1>")) {
                Map<String, Object> consent = new LinkedHashMap<>();
                consent.put("csrf", field(html, "csrf"));
                consent.put("flow", flow);
                consent.put("decision", "allow");
                consent.put("scope", checkboxes(html));
                code = query(redirect(post(browser, "/auth/consent", consent))).get("code");
            } else {
                throw new IllegalStateException("unexpected page in the sign-in flow: HTTP " + page.statusCode());
            }
        }
        if (code == null) {
            throw new IllegalStateException("the sign-in flow gave no authorization code");
        }
        Map<String, Object> exchange = new LinkedHashMap<>();
        exchange.put("grant_type", "authorization_code");
        exchange.put("code", code);
        exchange.put("redirect_uri", REDIRECT);
        exchange.put("code_verifier", verifier);
        exchange.put("client_id", clientId);
        return accessToken(post(http, "/auth/token", exchange));
    }

    private void admin(String path, String json) throws Exception {
        HttpResponse<String> r = send(http, "POST", path, json, "application/json", "Authorization", "Basic "
                + Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8)));
        if (r.statusCode() != 200 && r.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static String accessToken(HttpResponse<String> r) throws Exception {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the token endpoint answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode token = JSON.readTree(r.body());
        return token.path("access_token").asText();
    }

    private HttpResponse<String> post(HttpClient client, String path, Map<String, ?> fields) throws Exception {
        return send(client, "POST", path, form(fields), "application/x-www-form-urlencoded");
    }

    private HttpResponse<String> send(HttpClient client, String method, String pathOrUrl, String body,
            String contentType, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(pathOrUrl.startsWith("http") ? pathOrUrl
                : base + pathOrUrl)).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String redirect(HttpResponse<String> r) {
        String location = r.headers().firstValue("Location").orElse(null);
        if (r.statusCode() != 303 || location == null) {
            throw new IllegalStateException("expected a redirect in the sign-in flow, got HTTP " + r.statusCode()
                    + ": " + r.body());
        }
        return location;
    }

    private static String form(Map<String, ?> fields) {
        StringBuilder b = new StringBuilder();
        for (var e : fields.entrySet()) {
            List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
            for (Object v : values) {
                if (!b.isEmpty()) {
                    b.append('&');
                }
                b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        }
        return b.toString();
    }

    private static Map<String, String> query(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        int q = url.indexOf('?');
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"([^\"]*)\"").matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("no field " + name + " on the sign-in page");
        }
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

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static byte[] fixed(BigInteger n) {
        byte[] raw = n.toByteArray();
        byte[] out = new byte[48];
        int copy = Math.min(raw.length, 48);
        System.arraycopy(raw, raw.length - copy, out, 48 - copy, copy);
        return out;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
