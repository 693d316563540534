package dev.fhirbolt.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler: answers {@code /auth/...} and the two {@code /.well-known} documents, and declines
 * everything else (returns false) so that the FHIR handler after it in the sequence gets it.
 */
final class AuthHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(AuthHandler.class);

    static final List<String> CAPABILITIES = List.of("launch-ehr", "launch-standalone", "authorize-post",
            "client-public", "client-confidential-symmetric", "client-confidential-asymmetric", "sso-openid-connect",
            "context-banner", "context-style", "context-ehr-patient", "context-ehr-encounter",
            "context-standalone-patient", "context-standalone-encounter", "permission-offline", "permission-online",
            "permission-patient", "permission-user", "permission-v1", "permission-v2");
    static final List<String> SCOPES_SUPPORTED = List.of("openid", "fhirUser", "profile", "launch",
            "launch/patient", "launch/encounter", "offline_access", "online_access", "patient/*.cruds",
            "patient/*.rs", "patient/*.read", "patient/*.write", "patient/*.*", "user/*.cruds", "user/*.rs",
            "user/*.read", "user/*.write", "user/*.*", "system/*.cruds", "system/*.rs", "system/*.read",
            "system/*.write", "system/*.*");

    private final AuthSettings settings;
    private final AdminService admin;
    private final TokenService tokens;
    private final Introspection introspection;
    private final AdminAccess adminAccess;
    private final GrantAdmin grantAdmin;
    private final ClientAuthenticator clients;
    private final SigningKeys keys;
    private final BrowserPages pages;
    private final AuthEvents events;

    AuthHandler(AuthSettings settings, AdminService admin, TokenService tokens, Introspection introspection,
            AdminAccess adminAccess, GrantAdmin grantAdmin, ClientAuthenticator clients, SigningKeys keys,
            BrowserPages pages, AuthEvents events) {
        this.events = events;
        this.settings = settings;
        this.admin = admin;
        this.tokens = tokens;
        this.introspection = introspection;
        this.adminAccess = adminAccess;
        this.grantAdmin = grantAdmin;
        this.clients = clients;
        this.keys = keys;
        this.pages = pages;
    }

    static boolean owns(String path) {
        return path.equals("/auth") || path.startsWith("/auth/") || path.equals("/.well-known/smart-configuration")
                || path.equals("/.well-known/openid-configuration") || path.equals(Favicon.PATH);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!owns(path)) {
            return false;
        }
        try {
            route(path, request, response, callback);
        } catch (OAuthError e) {
            events.emit(AuthEvent.Action.FAILURE, false, null, null, request.getMethod() + " " + path + ": "
                    + e.body().get("error") + (e.body().get("error_description") == null ? ""
                            : " (" + e.body().get("error_description") + ")"), request);
            oauthError(response, callback, e);
        } catch (Throwable t) {
            LOG.error("auth request {} {} failed", request.getMethod(), path, t);
            Map<String, Object> m = Json.object();
            m.put("error", "server_error");
            Http.noStore(response);
            Http.json(response, callback, 500, m);
        }
        return true;
    }

    private void route(String path, Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String baseUrl = settings.baseUrlOf(request);
        if ("OPTIONS".equals(method)) {
            Http.cors(response);
            response.setStatus(204);
            callback.succeeded();
            return;
        }
        boolean get = "GET".equals(method) || "HEAD".equals(method);
        boolean post = "POST".equals(method);
        switch (path) {
            case "/.well-known/smart-configuration" -> {
                requireGet(get);
                Http.cors(response);
                Http.json(response, callback, 200, smartConfiguration(baseUrl));
            }
            case "/.well-known/openid-configuration" -> {
                requireGet(get);
                Http.cors(response);
                Http.json(response, callback, 200, openidConfiguration(baseUrl));
            }
            case "/auth/jwks" -> {
                requireGet(get);
                Http.cors(response);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=300");
                Http.send(response, callback, 200, "application/jwk-set+json;charset=utf-8",
                        keys.publicJwks().toString(true));
            }
            case "/auth/smart-style.json" -> {
                requireGet(get);
                Http.cors(response);
                Http.json(response, callback, 200, style());
            }
            case "/auth/style.css" -> {
                requireGet(get);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "public, max-age=3600");
                Http.send(response, callback, 200, "text/css;charset=utf-8", Pages.CSS);
            }
            case Favicon.PATH -> {
                requireGet(get);
                Favicon.send(response, callback);
            }
            case "/auth/authorize" -> {
                if (!get && !post) {
                    throw notAllowed();
                }
                Http.Params p = post ? Http.form(request) : Http.query(request);
                pages.authorize().authorize(request, response, callback, p, baseUrl);
            }
            case "/auth/flow" -> {
                requireGet(get);
                pages.flow().show(request, response, callback, Http.query(request));
            }
            case "/auth/login" -> {
                if (post) {
                    pages.signIn().signIn(request, response, callback, Http.form(request));
                } else {
                    requireGet(get);
                    pages.signIn().show(request, response, callback, Http.query(request));
                }
            }
            case "/auth/pick" -> {
                requirePost(post);
                pages.picker().pick(request, response, callback, Http.form(request));
            }
            case "/auth/consent" -> {
                requirePost(post);
                pages.consent().decide(request, response, callback, Http.form(request));
            }
            case "/auth/launch" -> {
                if (post) {
                    pages.launcher().launch(request, response, callback, Http.form(request), baseUrl);
                } else {
                    requireGet(get);
                    pages.launcher().show(request, response, callback, Http.query(request));
                }
            }
            case "/auth/logout" -> {
                if (post) {
                    pages.signOut().signOut(request, response, callback, Http.form(request));
                } else {
                    requireGet(get);
                    pages.signOut().show(request, response, callback);
                }
            }
            case "/auth/manage" -> {
                if (post) {
                    pages.permissions().revoke(request, response, callback, Http.form(request));
                } else {
                    requireGet(get);
                    pages.permissions().show(request, response, callback);
                }
            }
            case "/auth/token" -> {
                Http.cors(response);
                requirePost(post);
                token(request, response, callback, baseUrl);
            }
            case "/auth/introspect" -> {
                requirePost(post);
                introspect(request, response, callback, baseUrl);
            }
            case "/auth/revoke" -> {
                Http.cors(response);
                requirePost(post);
                revoke(request, response, callback, baseUrl);
            }
            case "/auth/register" -> {
                requirePost(post);
                new AdminApi(settings, admin).register(request, response, callback);
            }
            default -> {
                if (path.startsWith("/auth/admin/")) {
                    new AdminApi(settings, admin, grantAdmin, adminAccess)
                            .handle(path.substring("/auth/admin".length()), request, response, callback, baseUrl);
                } else {
                    Pages.error(response, callback, 404, "There is no page at " + path + ".");
                }
            }
        }
    }

    private static void requireGet(boolean get) {
        if (!get) {
            throw notAllowed();
        }
    }

    private static void requirePost(boolean post) {
        if (!post) {
            throw notAllowed();
        }
    }

    private static OAuthError notAllowed() {
        return new OAuthError("invalid_request", "method not allowed", 405);
    }

    private static void oauthError(Response response, Callback callback, OAuthError e) {
        Http.noStore(response);
        if (e.status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"fhirbolt\"");
        }
        Http.json(response, callback, e.status, e.body());
    }

    // ------------------------------------------------------------------ token endpoints

    private void token(Request request, Response response, Callback callback, String baseUrl) throws Exception {
        Http.noStore(response);
        if (!Http.isForm(request)) {
            throw OAuthError.invalidRequest("the token request must be application/x-www-form-urlencoded");
        }
        Http.Params form = Http.form(request);
        Optional<String> repeated = form.repeated();
        if (repeated.isPresent()) {
            throw OAuthError.invalidRequest(repeated.get() + " is given more than once");
        }
        String grantType = form.get("grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("grant_type is missing");
        }
        String tokenUrl = baseUrl + "/auth/token";
        String[] basic = Http.basic(request);
        RegisteredClient client = "refresh_token".equals(grantType) && ClientAuthenticator.namesNoClient(basic, form)
                ? clients.publicClient(tokens.refreshTokenClientId(form.get("refresh_token")))
                : clients.authenticate(basic, form, tokenUrl, true);
        Map<String, Object> out = switch (grantType) {
            case "authorization_code" -> {
                if (client.type() == ClientType.BACKEND_SERVICE) {
                    throw OAuthError.unauthorizedClient("backend services use client_credentials");
                }
                yield tokens.redeemCode(client, form, baseUrl);
            }
            case "refresh_token" -> {
                if (client.type() == ClientType.BACKEND_SERVICE) {
                    throw OAuthError.unauthorizedClient("backend services get no refresh tokens");
                }
                yield tokens.refresh(client, form, baseUrl);
            }
            case "client_credentials" -> tokens.clientCredentials(client, form, baseUrl);
            default -> throw OAuthError.unsupportedGrantType("grant_type " + grantType + " is not supported");
        };
        events.emit("refresh_token".equals(grantType) ? AuthEvent.Action.TOKEN_REFRESHED
                : AuthEvent.Action.TOKEN_ISSUED, true, client.clientId(), null, "grant_type=" + grantType
                + " scope=" + out.get("scope") + (out.get("patient") == null ? "" : " patient=" + out.get("patient")),
                request);
        Http.json(response, callback, 200, out);
    }

    private void introspect(Request request, Response response, Callback callback, String baseUrl)
            throws Exception {
        Http.noStore(response);
        Http.Params form = Http.form(request);
        RegisteredClient caller = null;
        if (!AdminApi.isAdmin(settings, request)) {
            caller = clients.authenticate(Http.basic(request), form, baseUrl + "/auth/token", false);
        }
        Http.json(response, callback, 200, introspection.introspect(caller, form.get("token"), baseUrl));
    }

    private void revoke(Request request, Response response, Callback callback, String baseUrl) throws Exception {
        Http.noStore(response);
        Http.Params form = Http.form(request);
        RegisteredClient caller = null;
        if (!AdminApi.isAdmin(settings, request)) {
            caller = clients.authenticate(Http.basic(request), form, baseUrl + "/auth/token", true);
        }
        tokens.revoke(caller, form.get("token"));
        events.emit(AuthEvent.Action.TOKEN_REVOKED, true, caller == null ? null : caller.clientId(), null,
                caller == null ? "revocation by the administrator" : "revocation request", request);
        response.setStatus(200);
        callback.succeeded();
    }

    // ------------------------------------------------------------------ discovery

    Map<String, Object> smartConfiguration(String baseUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", baseUrl);
        m.put("jwks_uri", baseUrl + "/auth/jwks");
        m.put("authorization_endpoint", baseUrl + "/auth/authorize");
        m.put("token_endpoint", baseUrl + "/auth/token");
        m.put("grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
        m.put("token_endpoint_auth_methods_supported",
                List.of("private_key_jwt", "client_secret_basic", "client_secret_post"));
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        m.put("scopes_supported", SCOPES_SUPPORTED);
        m.put("response_types_supported", List.of("code"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("introspection_endpoint", baseUrl + "/auth/introspect");
        m.put("revocation_endpoint", baseUrl + "/auth/revoke");
        m.put("registration_endpoint", baseUrl + "/auth/register");
        m.put("management_endpoint", baseUrl + "/auth/manage");
        m.put("capabilities", CAPABILITIES);
        return m;
    }

    Map<String, Object> openidConfiguration(String baseUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", baseUrl);
        m.put("authorization_endpoint", baseUrl + "/auth/authorize");
        m.put("token_endpoint", baseUrl + "/auth/token");
        m.put("jwks_uri", baseUrl + "/auth/jwks");
        m.put("registration_endpoint", baseUrl + "/auth/register");
        m.put("introspection_endpoint", baseUrl + "/auth/introspect");
        m.put("revocation_endpoint", baseUrl + "/auth/revoke");
        m.put("scopes_supported", List.of("openid", "fhirUser", "profile", "offline_access", "online_access"));
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "client_credentials", "refresh_token"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("token_endpoint_auth_methods_supported",
                List.of("private_key_jwt", "client_secret_basic", "client_secret_post", "none"));
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "fhirUser", "name"));
        m.put("request_parameter_supported", false);
        return m;
    }

    static Map<String, Object> style() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("color_background", "#fafafa");
        m.put("color_error", "#aa0000");
        m.put("color_highlight", "#0b5cad");
        m.put("color_modal_backdrop", "");
        m.put("color_success", "#1e7d32");
        m.put("color_text", "#1b1b1b");
        m.put("dim_border_radius", "4px");
        m.put("dim_font_size", "16px");
        m.put("dim_spacing_size", "16px");
        m.put("font_family_body", "system-ui, -apple-system, 'Segoe UI', sans-serif");
        m.put("font_family_heading", "system-ui, -apple-system, 'Segoe UI', sans-serif");
        return m;
    }
}
