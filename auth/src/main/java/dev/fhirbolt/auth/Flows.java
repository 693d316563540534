package dev.fhirbolt.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Authorization flows in progress. An authorization request that passes validation becomes a flow: stored for ten
 * minutes under a random id, it records what the app asked for and what the user has chosen so far; {@code
 * /auth/flow?id=..} shows what it still needs. A flow ends with one redirect to the app's {@code redirect_uri},
 * carrying a code or an error.
 *
 * <p>A flow's fields: {@code clientId}, {@code redirectUri}, {@code state}, {@code scopes}, {@code codeChallenge},
 * {@code nonce}, {@code baseUrl}, {@code exp}; for an EHR launch {@code ehr}, {@code launchUser} and {@code
 * fhirContext}; {@code patient} and {@code encounter} once set (by the launch or the pickers), {@code
 * encounterChosen} once the encounter picker was answered.
 */
final class Flows {

    private static final Duration LIFETIME = Duration.ofMinutes(10);

    private final AuthStore store;
    private final Clock clock;

    Flows(AuthStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Stores a new flow and gives its id. */
    String start(Map<String, Object> flow) {
        flow.put("exp", clock.instant().plus(LIFETIME).toEpochMilli());
        String id = Secrets.token(24);
        store.put(AuthStore.FLOWS, id, flow, false);
        return id;
    }

    /** The flow, unless the id is unknown or the flow has expired. */
    Optional<Map<String, Object>> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return store.get(AuthStore.FLOWS, id).filter(f -> Json.lng(f, "exp", 0) > clock.millis());
    }

    /** A form posted from a flow's page: the signed-in session whose CSRF token it carries, and the flow. */
    record Posted(Sessions.Session session, String flowId, Map<String, Object> flow) {
    }

    /** The session and flow a posted form names; empty when the flow is gone or the form is not the session's. */
    Optional<Posted> posted(Sessions sessions, Request request, Http.Params form) {
        String flowId = form.get("flow");
        Optional<Sessions.Session> session = sessions.withCsrf(request, form.get("csrf"))
                .filter(Sessions.Session::signedIn);
        Optional<Map<String, Object>> flow = find(flowId);
        if (session.isEmpty() || flow.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Posted(session.get(), flowId, flow.get()));
    }

    /** Stores what the user chose so far. */
    void save(String id, Map<String, Object> flow) {
        store.put(AuthStore.FLOWS, id, flow, false);
    }

    /** Removes the flow: it ends with one decision. */
    void end(String id) {
        store.delete(AuthStore.FLOWS, id, false);
    }

    /** Where the browser goes to continue the flow. */
    static String page(String id) {
        return "/auth/flow?id=" + id;
    }

    /** Ends an authorization at the app: the error and the app's state on its redirect_uri. */
    static void redirectError(Request request, Response response, Callback callback, String redirectUri, String state,
            String error, String description) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("error", error);
        q.put("error_description", description);
        q.put("state", state);
        Http.redirect(request, response, callback, Http.withQuery(redirectUri, q));
    }

    /** Ends an authorization at the app: the code and the app's state on its redirect_uri. */
    static void redirectCode(Request request, Response response, Callback callback, String redirectUri, String state,
            String code) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", code);
        q.put("state", state);
        Http.redirect(request, response, callback, Http.withQuery(redirectUri, q));
    }
}
