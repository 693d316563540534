package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/** The console's side of the token endpoint: code exchange, refresh and revocation, all through the gateway. */
final class Tokens {

    private final FhirGateway gateway;
    private final ConsoleSettings settings;
    private final Clock clock;

    Tokens(FhirGateway gateway, ConsoleSettings settings, Clock clock) {
        this.gateway = gateway;
        this.settings = settings;
        this.clock = clock;
    }

    /** Exchanges an authorization code; the session is signed in afterwards. */
    void exchange(Session session, String baseUrl, String code, String verifier) {
        JsonNode t = post(baseUrl, "/auth/token", Forms.map("grant_type", "authorization_code", "code", code,
                "redirect_uri", baseUrl + ConsoleSettings.CALLBACK, "client_id", settings.clientId(),
                "code_verifier", verifier));
        JsonNode id = idTokenClaims(t.path("id_token").asText(""));
        String name = id.path("name").asText(id.path("sub").asText("signed in"));
        session.signedIn(t.path("access_token").asText(), t.path("refresh_token").asText(null),
                clock.instant().plusSeconds(t.path("expires_in").asLong(300)),
                new Session.User(name, id.path("fhirUser").asText(null), t.path("scope").asText("")));
    }

    /** Gets a new access token with the session's refresh token; false when that is not possible any more. */
    boolean refresh(Session session, String baseUrl) {
        String refresh = session.refreshToken();
        if (refresh == null) {
            return false;
        }
        try {
            JsonNode t = post(baseUrl, "/auth/token", Forms.map("grant_type", "refresh_token",
                    "refresh_token", refresh, "client_id", settings.clientId()));
            session.signedIn(t.path("access_token").asText(), t.path("refresh_token").asText(null),
                    clock.instant().plusSeconds(t.path("expires_in").asLong(300)), null);
            return true;
        } catch (ConsoleException e) {
            session.signOut();
            return false;
        }
    }

    void revoke(Session session, String baseUrl) {
        for (String token : new String[] {session.refreshToken(), session.accessToken()}) {
            if (token != null) {
                try {
                    post(baseUrl, "/auth/revoke", Forms.map("token", token, "client_id", settings.clientId()));
                } catch (ConsoleException e) {
                    // signing out goes on: the session is dropped whatever the auth server says
                }
            }
        }
    }

    private JsonNode post(String baseUrl, String path, Map<String, String> form) {
        FhirGateway.Reply r = gateway.exchange(new FhirGateway.Call("POST", path, baseUrl, null,
                "application/x-www-form-urlencoded", Forms.query(form).getBytes(StandardCharsets.UTF_8)));
        JsonNode body = JsonTexts.parse(r.body());
        if (r.status() >= 400) {
            throw new ConsoleException(r.status() == 400 ? 400 : 502, "the sign-in server refused: "
                    + body.path("error").asText("error") + " (" + body.path("error_description").asText("") + ")");
        }
        return body;
    }

    static JsonNode idTokenClaims(String idToken) {
        String[] parts = idToken.split("\\.");
        if (parts.length < 2) {
            return JsonTexts.parse(new byte[0]);
        }
        try {
            return JsonTexts.parse(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException e) {
            return JsonTexts.parse(new byte[0]);
        }
    }
}
