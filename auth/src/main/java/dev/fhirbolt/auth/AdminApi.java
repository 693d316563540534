package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The JSON admin API under {@code /auth/admin} (HTTP Basic with the admin password, or the admin bearer token)
 * and RFC 7591 dynamic registration at {@code /auth/register} (initial access token or admin credentials).
 */
final class AdminApi {

    private final AuthSettings settings;
    private final AdminService admin;
    private final GrantAdmin grants;
    private final AdminAccess access;

    AdminApi(AuthSettings settings, AdminService admin) {
        this(settings, admin, null, null);
    }

    /** @param access who may call; null: the admin password or token only */
    AdminApi(AuthSettings settings, AdminService admin, GrantAdmin grants, AdminAccess access) {
        this.settings = settings;
        this.admin = admin;
        this.grants = grants;
        this.access = access;
    }

    static boolean isAdmin(AuthSettings settings, Request request) {
        String[] basic = Http.basic(request);
        if (basic != null && settings.adminPassword() != null) {
            // both compared, always, so that timing tells nothing about which one was wrong
            boolean user = Secrets.equal(settings.adminUsername(), basic[0]);
            boolean pass = Secrets.equal(settings.adminPassword(), basic[1]);
            return user & pass;
        }
        String bearer = Http.bearer(request);
        return bearer != null && settings.adminToken() != null && Secrets.equal(settings.adminToken(), bearer);
    }

    private static void unauthorized(Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"fhirbolt-admin\"");
        Map<String, Object> m = Json.object();
        m.put("error", "unauthorized");
        m.put("error_description", "admin credentials are required");
        Http.json(response, callback, 401, m);
    }

    private static void error(Response response, Callback callback, int status, String error, String description) {
        Map<String, Object> m = Json.object();
        m.put("error", error);
        m.put("error_description", description);
        Http.json(response, callback, status, m);
    }

    void handle(String path, Request request, Response response, Callback callback, String baseUrl)
            throws Exception {
        Http.noStore(response);
        AdminAccess.Decision decision = access == null
                ? (isAdmin(settings, request) ? AdminAccess.Decision.ALLOWED : AdminAccess.Decision.UNAUTHENTICATED)
                : access.decide(request, baseUrl);
        if (decision == AdminAccess.Decision.UNAUTHENTICATED) {
            unauthorized(response, callback);
            return;
        }
        if (decision == AdminAccess.Decision.FORBIDDEN) {
            error(response, callback, 403, "forbidden", "this user has no admin role (an administrator gives it:"
                    + " fhirbolt user add --admin, the admin API's \"admin\": true, or the console's user page)");
            return;
        }
        String method = request.getMethod();
        String[] parts = path.substring(1).split("/", -1);
        try {
            if (parts[0].equals("clients")) {
                clients(parts, method, request, response, callback);
            } else if (parts[0].equals("users")) {
                users(parts, method, request, response, callback);
            } else if (parts[0].equals("grants") && grants != null) {
                grants(parts, method, request, response, callback);
            } else if (path.equals("/keys") && method.equals("GET")) {
                List<Object> list = new ArrayList<>();
                for (SigningKeyInfo k : admin.signingKeys()) {
                    Map<String, Object> m = Json.object();
                    m.put("kid", k.kid());
                    m.put("created", k.created().toString());
                    if (k.retired() != null) {
                        m.put("retired", k.retired().toString());
                    }
                    m.put("signing", k.signing());
                    m.put("verifying", k.verifying());
                    list.add(m);
                }
                Map<String, Object> m = Json.object();
                m.put("keys", list);
                Http.json(response, callback, 200, m);
            } else if (path.equals("/keys/rotate") && method.equals("POST")) {
                Map<String, Object> m = Json.object();
                m.put("kid", admin.rotateSigningKey());
                Http.json(response, callback, 200, m);
            } else if (path.equals("/launches") && method.equals("POST")) {
                Map<String, Object> body = Json.parse(Http.body(request));
                List<FhirContextItem> ctx = Json.contextFromJson(Json.objects(body, "fhirContext"));
                EhrLaunch l = admin.createLaunch(baseUrl, Json.str(body, "client_id"), Json.str(body, "username"),
                        Json.str(body, "patient"), Json.str(body, "encounter"), ctx);
                Map<String, Object> m = Json.object();
                m.put("launch", l.launchId());
                m.put("launch_url", l.launchUrl());
                m.put("iss", baseUrl);
                m.put("expires_at", l.expiresAt().toString());
                Http.json(response, callback, 201, m);
            } else {
                error(response, callback, 404, "not_found", "no admin resource at " + path);
            }
        } catch (IllegalArgumentException e) {
            error(response, callback, 400, "invalid_request", e.getMessage());
        }
    }

    private void clients(String[] parts, String method, Request request, Response response, Callback callback)
            throws Exception {
        if (parts.length == 1 && method.equals("GET")) {
            List<Object> list = new ArrayList<>();
            for (RegisteredClient c : admin.listClients()) {
                list.add(clientJson(c, null));
            }
            Map<String, Object> m = Json.object();
            m.put("clients", list);
            Http.json(response, callback, 200, m);
        } else if (parts.length == 1 && method.equals("POST")) {
            Map<String, Object> body = Json.parse(Http.body(request));
            String type = Json.str(body, "type");
            if (type == null) {
                throw new IllegalArgumentException(
                        "type is required: public, confidential-symmetric, confidential-asymmetric or backend-service");
            }
            ClientRegistration r = admin.registerClient(new ClientSpec(Json.str(body, "client_id"),
                    Json.str(body, "client_name"), parseType(type), Json.strings(body, "redirect_uris"),
                    Json.str(body, "launch_url"), scopes(body), jwksText(body), Json.str(body, "jwks_uri")));
            Http.json(response, callback, 201, clientJson(r.client(), r.clientSecret()));
        } else if (parts.length == 2 && method.equals("GET")) {
            Optional<RegisteredClient> c = admin.client(parts[1]);
            if (c.isEmpty()) {
                error(response, callback, 404, "not_found", "no client " + parts[1]);
            } else {
                Http.json(response, callback, 200, clientJson(c.get(), null));
            }
        } else if (parts.length == 2 && method.equals("PUT")) {
            Map<String, Object> body = Json.parse(Http.body(request));
            Optional<RegisteredClient> c = admin.updateClient(new ClientSpec(parts[1], Json.str(body, "client_name"),
                    null, Json.strings(body, "redirect_uris"), Json.str(body, "launch_url"), scopes(body),
                    jwksText(body), Json.str(body, "jwks_uri")));
            if (c.isEmpty()) {
                error(response, callback, 404, "not_found", "no client " + parts[1]);
            } else {
                Http.json(response, callback, 200, clientJson(c.get(), null));
            }
        } else if (parts.length == 2 && method.equals("DELETE")) {
            if (admin.deleteClient(parts[1])) {
                response.setStatus(204);
                callback.succeeded();
            } else {
                error(response, callback, 404, "not_found", "no client " + parts[1]);
            }
        } else {
            error(response, callback, 405, "invalid_request", "method not allowed");
        }
    }

    private void users(String[] parts, String method, Request request, Response response, Callback callback)
            throws Exception {
        if (parts.length == 1 && method.equals("GET")) {
            List<Object> list = new ArrayList<>();
            for (UserAccount u : admin.listUsers()) {
                list.add(userJson(u));
            }
            Map<String, Object> m = Json.object();
            m.put("users", list);
            Http.json(response, callback, 200, m);
        } else if (parts.length == 1 && method.equals("POST")) {
            Map<String, Object> body = Json.parse(Http.body(request));
            UserAccount u = admin.createUser(Json.str(body, "username"), Json.str(body, "password"),
                    Json.str(body, "fhirUser"), Json.str(body, "name"), Boolean.TRUE.equals(role(body)));
            Http.json(response, callback, 201, userJson(u));
        } else if (parts.length == 2 && method.equals("GET")) {
            Optional<UserAccount> u = admin.user(parts[1]);
            if (u.isEmpty()) {
                error(response, callback, 404, "not_found", "no user " + parts[1]);
            } else {
                Http.json(response, callback, 200, userJson(u.get()));
            }
        } else if (parts.length == 2 && method.equals("DELETE")) {
            if (admin.deleteUser(parts[1])) {
                response.setStatus(204);
                callback.succeeded();
            } else {
                error(response, callback, 404, "not_found", "no user " + parts[1]);
            }
        } else if (parts.length == 2 && method.equals("PUT")) {
            Map<String, Object> body = Json.parse(Http.body(request));
            Boolean role = role(body);
            boolean ok = admin.updateUser(parts[1], Json.str(body, "fhirUser"), Json.str(body, "name"));
            if (ok && role != null) {
                ok = admin.setAdmin(parts[1], role);
            }
            found(ok, parts[1], response, callback);
        } else if (parts.length == 3 && parts[2].equals("lock") && (method.equals("POST") || method.equals("DELETE"))) {
            boolean lock = method.equals("POST");
            boolean ok = lock ? admin.lockUser(parts[1]) : admin.unlockUser(parts[1]);
            if (ok && lock && grants != null) {
                grants.revokeAllOf(parts[1]);
            }
            found(ok, parts[1], response, callback);
        } else if (parts.length == 3 && parts[2].equals("password") && method.equals("PUT")) {
            Map<String, Object> body = Json.parse(Http.body(request));
            if (admin.setPassword(parts[1], Json.str(body, "password"))) {
                response.setStatus(204);
                callback.succeeded();
            } else {
                error(response, callback, 404, "not_found", "no user " + parts[1]);
            }
        } else {
            error(response, callback, 405, "invalid_request", "method not allowed");
        }
    }

    private void grants(String[] parts, String method, Request request, Response response, Callback callback) {
        if (parts.length == 1 && method.equals("GET")) {
            Http.Params q = Http.query(request);
            List<Object> list = new ArrayList<>();
            for (GrantInfo g : grants.active(q.get("client_id"), q.get("username"))) {
                Map<String, Object> m = Json.object();
                m.put("grant_id", g.grantId());
                m.put("client_id", g.clientId());
                if (g.username() != null) {
                    m.put("username", g.username());
                }
                m.put("scope", String.join(" ", g.scopes()));
                m.put("created", g.created().toString());
                m.put("expires", g.expires().toString());
                m.put("refresh_tokens", g.refreshTokens());
                if (g.refreshUntil() != null) {
                    m.put("refresh_until", g.refreshUntil().toString());
                }
                list.add(m);
            }
            Map<String, Object> m = Json.object();
            m.put("grants", list);
            Http.json(response, callback, 200, m);
        } else if (parts.length == 2 && method.equals("DELETE")) {
            if (grants.revoke(parts[1])) {
                response.setStatus(204);
                callback.succeeded();
            } else {
                error(response, callback, 404, "not_found", "no approval in force with id " + parts[1]);
            }
        } else {
            error(response, callback, 405, "invalid_request", "method not allowed");
        }
    }

    private static void found(boolean ok, String username, Response response, Callback callback) {
        if (ok) {
            response.setStatus(204);
            callback.succeeded();
        } else {
            error(response, callback, 404, "not_found", "no user " + username);
        }
    }

    static ClientType parseType(String type) {
        return switch (type.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "public" -> ClientType.PUBLIC;
            case "confidential-symmetric", "symmetric" -> ClientType.CONFIDENTIAL_SYMMETRIC;
            case "confidential-asymmetric", "asymmetric" -> ClientType.CONFIDENTIAL_ASYMMETRIC;
            case "backend-service", "backend", "backend-services" -> ClientType.BACKEND_SERVICE;
            default -> throw new IllegalArgumentException("unknown client type " + type);
        };
    }

    private static List<String> scopes(Map<String, Object> body) {
        String scope = Json.str(body, "scope");
        return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split("\\s+"));
    }

    private static String jwksText(Map<String, Object> body) {
        Object jwks = body.get("jwks");
        if (jwks == null) {
            return null;
        }
        if (jwks instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) map;
            return Json.write(m);
        }
        return jwks.toString();
    }

    static Map<String, Object> clientJson(RegisteredClient c, String secret) {
        Map<String, Object> m = Json.object();
        m.put("client_id", c.clientId());
        m.put("client_name", c.name());
        m.put("type", c.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        m.put("token_endpoint_auth_method", c.type().authMethod());
        m.put("grant_types", c.type() == ClientType.BACKEND_SERVICE ? List.of("client_credentials")
                : List.of("authorization_code", "refresh_token"));
        m.put("response_types", c.type() == ClientType.BACKEND_SERVICE ? List.of() : List.of("code"));
        m.put("redirect_uris", c.redirectUris());
        if (c.launchUrl() != null) {
            m.put("launch_url", c.launchUrl());
        }
        m.put("scope", String.join(" ", c.scopes()));
        if (c.jwks() != null) {
            m.put("jwks", Json.parse(c.jwks()));
        }
        if (c.jwksUri() != null) {
            m.put("jwks_uri", c.jwksUri());
        }
        m.put("client_id_issued_at", c.createdAt().getEpochSecond());
        if (secret != null) {
            m.put("client_secret", secret);
            m.put("client_secret_expires_at", 0);
        }
        return m;
    }

    /** The body's {@code admin}: true, false or absent (null); anything else is a bad request. */
    private static Boolean role(Map<String, Object> body) {
        Object role = body.get("admin");
        if (role != null && !(role instanceof Boolean)) {
            throw new IllegalArgumentException("admin must be true or false");
        }
        return (Boolean) role;
    }

    private static Map<String, Object> userJson(UserAccount u) {
        Map<String, Object> m = Json.object();
        m.put("username", u.username());
        m.put("name", u.displayName());
        m.put("fhirUser", u.fhirUser());
        m.put("created", u.createdAt().toString());
        if (u.lockedUntil() != null && u.lockedUntil().isAfter(Instant.now())) {
            m.put("lockedUntil", u.lockedUntil().toString());
        }
        m.put("locked", u.locked());
        m.put("admin", u.admin());
        return m;
    }

    // ------------------------------------------------------------------ RFC 7591

    void register(Request request, Response response, Callback callback) throws Exception {
        Http.noStore(response);
        String bearer = Http.bearer(request);
        boolean allowed = isAdmin(settings, request) || (bearer != null && settings.initialAccessToken() != null
                && Secrets.equal(settings.initialAccessToken(), bearer));
        if (!allowed) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            // the body of an unauthenticated caller is not read; the connection closes after this answer so that a
            // client does not send its next request on a connection the server closes for the unread bytes
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            error(response, callback, 401, "invalid_token",
                    "registration needs an initial access token or admin credentials");
            return;
        }
        Map<String, Object> body;
        try {
            body = Json.parse(Http.body(request));
        } catch (IllegalArgumentException e) {
            error(response, callback, 400, "invalid_client_metadata", "the body must be a JSON object");
            return;
        }
        String authMethod = Optional.ofNullable(Json.str(body, "token_endpoint_auth_method"))
                .orElse("client_secret_basic");
        List<String> grantTypes = Json.strings(body, "grant_types");
        ClientType type = switch (authMethod) {
            case "none" -> ClientType.PUBLIC;
            case "client_secret_basic", "client_secret_post" -> ClientType.CONFIDENTIAL_SYMMETRIC;
            case "private_key_jwt" -> grantTypes.contains("client_credentials") ? ClientType.BACKEND_SERVICE
                    : ClientType.CONFIDENTIAL_ASYMMETRIC;
            default -> null;
        };
        if (type == null) {
            error(response, callback, 400, "invalid_client_metadata",
                    "token_endpoint_auth_method must be none, client_secret_basic, client_secret_post or private_key_jwt");
            return;
        }
        if (grantTypes.contains("client_credentials") && type != ClientType.BACKEND_SERVICE) {
            error(response, callback, 400, "invalid_client_metadata",
                    "client_credentials needs token_endpoint_auth_method private_key_jwt");
            return;
        }
        String launchUrl = Optional.ofNullable(Json.str(body, "launch_uri")).orElse(Json.str(body, "initiate_login_uri"));
        try {
            ClientRegistration r = admin.registerClient(new ClientSpec(null, Json.str(body, "client_name"), type,
                    Json.strings(body, "redirect_uris"), launchUrl, scopes(body), jwksText(body),
                    Json.str(body, "jwks_uri")));
            Map<String, Object> out = clientJson(r.client(), r.clientSecret());
            out.remove("type");
            out.remove("launch_url");
            if (launchUrl != null) {
                out.put("launch_uri", launchUrl);
            }
            if (type == ClientType.CONFIDENTIAL_SYMMETRIC) {
                out.put("token_endpoint_auth_method", authMethod);
            }
            Http.json(response, callback, 201, out);
        } catch (IllegalArgumentException e) {
            String code = e.getMessage() != null && e.getMessage().contains("redirect") ? "invalid_redirect_uri"
                    : "invalid_client_metadata";
            error(response, callback, 400, code, e.getMessage());
        }
    }
}
