package dev.fhirbolt.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The authorization endpoint ({@code /auth/authorize}): checks an app's authorization request and starts a flow
 * ({@link Flows}) for it. Without a registered client and one of its redirect URIs the user sees an error page and
 * nothing goes to the app; any other fault goes back to the app's redirect_uri as an OAuth error. The scopes kept are
 * those the client may have (system/ scopes never: they are for backend services); PKCE with S256 and {@code aud}
 * naming this server are required.
 */
final class AuthorizeEndpoint {

    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final AdminService admin;
    private final Flows flows;

    AuthorizeEndpoint(AdminService admin, Flows flows) {
        this.admin = admin;
        this.flows = flows;
    }

    /** Answers {@code GET} or {@code POST /auth/authorize} with the request's parameters. */
    void authorize(Request request, Response response, Callback callback, Http.Params p, String baseUrl) {
        Optional<String> repeated = p.repeated();
        if (repeated.isPresent()) {
            Pages.error(response, callback, 400, "The parameter " + repeated.get() + " was given more than once.");
            return;
        }
        Optional<RegisteredClient> found = admin.client(p.get("client_id"));
        if (found.isEmpty()) {
            Pages.error(response, callback, 400, "The app is not registered with this server (unknown client_id).");
            return;
        }
        RegisteredClient client = found.get();
        String redirectUri = p.get("redirect_uri");
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            Pages.error(response, callback, 400,
                    "The redirect_uri is missing or is not one registered for " + client.name() + ".");
            return;
        }
        String state = p.get("state");
        if (!"code".equals(p.get("response_type"))) {
            Flows.redirectError(request, response, callback, redirectUri, state, "unsupported_response_type",
                    "response_type must be code");
            return;
        }
        if (client.type() == ClientType.BACKEND_SERVICE) {
            Flows.redirectError(request, response, callback, redirectUri, state, "unauthorized_client",
                    "backend services use client_credentials");
            return;
        }
        if (state == null) {
            Flows.redirectError(request, response, callback, redirectUri, null, "invalid_request", "state is required");
            return;
        }
        String challenge = p.get("code_challenge");
        String method = p.get("code_challenge_method");
        if (challenge == null) {
            Flows.redirectError(request, response, callback, redirectUri, state, "invalid_request",
                    "PKCE is required: send code_challenge with code_challenge_method=S256");
            return;
        }
        if (!"S256".equals(method)) {
            Flows.redirectError(request, response, callback, redirectUri, state, "invalid_request",
                    "code_challenge_method must be S256 (plain is not accepted)");
            return;
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            Flows.redirectError(request, response, callback, redirectUri, state, "invalid_request",
                    "code_challenge must be a base64url SHA-256 (43 characters)");
            return;
        }
        String aud = p.get("aud");
        if (aud == null || !AuthSettings.trimSlash(aud).equals(baseUrl)) {
            Flows.redirectError(request, response, callback, redirectUri, state, "invalid_request",
                    "aud must be this FHIR server's base URL " + baseUrl);
            return;
        }
        String scope = p.get("scope");
        if (scope == null) {
            Flows.redirectError(request, response, callback, redirectUri, state, "invalid_scope", "scope is required");
            return;
        }
        List<SmartScope> allowed = client.allowedScopes();
        List<String> requested = new ArrayList<>();
        for (SmartScope s : SmartScope.parseAll(scope)) {
            if (s.isResourceScope() && s.context() == SmartScope.Context.SYSTEM) {
                continue; // system/ scopes are for backend services
            }
            if (SmartScope.coveredBy(s, allowed)) {
                requested.add(s.raw());
            }
        }
        String launchId = p.get("launch");
        EhrLaunch launch = null;
        if (launchId != null) {
            launch = admin.launch(launchId).orElse(null);
            if (launch == null || !launch.clientId().equals(client.clientId())) {
                Flows.redirectError(request, response, callback, redirectUri, state, "invalid_request",
                        "launch is unknown, expired or belongs to another app");
                return;
            }
        }
        if (launch == null) {
            requested.remove("launch");
        }
        if (requested.stream().noneMatch(s -> SmartScope.parse(s).orElseThrow().isResourceScope())
                && !requested.contains("openid")) {
            Flows.redirectError(request, response, callback, redirectUri, state, "invalid_scope",
                    "none of the requested scopes can be granted to this app");
            return;
        }
        Map<String, Object> flow = Json.object();
        flow.put("clientId", client.clientId());
        flow.put("redirectUri", redirectUri);
        flow.put("state", state);
        flow.put("scopes", requested);
        flow.put("codeChallenge", challenge);
        if (p.get("nonce") != null) {
            flow.put("nonce", p.get("nonce"));
        }
        flow.put("baseUrl", baseUrl);
        if (launch != null) {
            flow.put("ehr", true);
            if (launch.username() != null) {
                flow.put("launchUser", launch.username());
            }
            if (launch.patient() != null) {
                flow.put("patient", launch.patient());
            }
            if (launch.encounter() != null) {
                flow.put("encounter", launch.encounter());
            }
            flow.put("fhirContext", Json.contextToJson(launch.fhirContext()));
        }
        Http.redirect(request, response, callback, Flows.page(flows.start(flow)));
    }
}
