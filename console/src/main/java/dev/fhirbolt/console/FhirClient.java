package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;

/**
 * The FHIR API as one browser request of the console sees it: with the signed-in user's access token (renewed with
 * the refresh token when it has expired), so the user sees exactly what the token's scopes allow.
 */
final class FhirClient {

    /** The user must sign in (again): no session, or its tokens can no longer be renewed. */
    static final class SignInNeeded extends RuntimeException {
        SignInNeeded() {
            super("sign-in needed", null, false, false);
        }
    }

    private final FhirGateway gateway;
    private final Tokens tokens;
    private final Session session;
    private final String baseUrl;
    private final Clock clock;

    /** @param session the signed-in session, or null when security is off */
    FhirClient(FhirGateway gateway, Tokens tokens, Session session, String baseUrl, Clock clock) {
        this.gateway = gateway;
        this.tokens = tokens;
        this.session = session;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** GETs a FHIR path (e.g. {@code /Patient?name=x}) as JSON; 4xx and 5xx answers become ConsoleExceptions. */
    JsonNode get(String pathAndQuery) {
        FhirGateway.Reply r = send(pathAndQuery);
        if (r.status() == 401 && session != null && tokens.refresh(session, baseUrl)) {
            r = send(pathAndQuery);
        }
        if (r.status() == 401 && session != null) {
            throw new SignInNeeded();
        }
        JsonNode body = JsonTexts.parse(r.body());
        if (r.status() >= 400) {
            throw new ConsoleException(r.status(), outcomeText(body, r.status()));
        }
        return body;
    }

    private FhirGateway.Reply send(String pathAndQuery) {
        return gateway.exchange(FhirGateway.Call.get(pathAndQuery, baseUrl, authorization()));
    }

    /**
     * Any FHIR call (a write, an operation) with the user's token, renewed once on a 401; the answer is returned
     * whatever its status, for the page to explain.
     *
     * @param headers further request headers such as If-Match or Prefer
     */
    FhirGateway.Reply call(String method, String pathAndQuery, String contentType, byte[] body,
            java.util.Map<String, String> headers) {
        FhirGateway.Reply r = gateway.exchange(new FhirGateway.Call(method, pathAndQuery, baseUrl, authorization(),
                contentType, body, headers));
        if (r.status() == 401 && session != null && tokens.refresh(session, baseUrl)) {
            r = gateway.exchange(new FhirGateway.Call(method, pathAndQuery, baseUrl, authorization(), contentType,
                    body, headers));
        }
        if (r.status() == 401 && session != null) {
            throw new SignInNeeded();
        }
        return r;
    }

    /** The Authorization header value of the user's token (renewed when it has expired); null with security off. */
    String authorization() {
        if (session == null) {
            return null;
        }
        if (session.accessExpired(clock.instant()) && !tokens.refresh(session, baseUrl)) {
            throw new SignInNeeded();
        }
        return "Bearer " + session.accessToken();
    }

    static String outcomeText(JsonNode outcome, int status) {
        StringBuilder b = new StringBuilder();
        for (JsonNode issue : outcome.path("issue")) {
            String text = issue.path("diagnostics").asText(issue.path("details").path("text").asText(""));
            if (!text.isEmpty()) {
                b.append(b.isEmpty() ? "" : "; ").append(text);
            }
        }
        return b.isEmpty() ? "the server answered " + status : b.toString();
    }
}
