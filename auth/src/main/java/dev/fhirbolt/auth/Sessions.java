package dev.fhirbolt.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Browser sessions: an HttpOnly, SameSite=Lax cookie holding a random token; the store keeps its fingerprint,
 * the signed-in user (if any) and the session's CSRF token. Signing in issues a fresh cookie.
 */
final class Sessions {

    static final String COOKIE = "fhirbolt_session";
    private static final Duration ANONYMOUS_LIFETIME = Duration.ofHours(1);

    /** A session as seen by one request. */
    record Session(String id, String username, String csrf, Instant authTime) {
        boolean signedIn() {
            return username != null;
        }
    }

    private final AuthStore store;
    private final Clock clock;
    private final Duration lifetime;

    Sessions(AuthStore store, Clock clock, Duration lifetime) {
        this.store = store;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    Optional<Session> current(Request request) {
        String token = Http.cookie(request, COOKIE);
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        String id = Secrets.fingerprint(token);
        return store.get(AuthStore.SESSIONS, id).filter(m -> Json.lng(m, "exp", 0) > clock.millis())
                .map(m -> new Session(id, Json.str(m, "username"), Json.str(m, "csrf"), Json.instant(m, "authTime")));
    }

    /** The current session if the form's {@code csrf} is its CSRF token (forms posted from another page get none). */
    Optional<Session> withCsrf(Request request, String csrf) {
        return current(request).filter(s -> Secrets.equal(s.csrf(), csrf));
    }

    /** The current session, or a new anonymous one (with its cookie set on the response). */
    Session ensure(Request request, Response response) {
        return current(request).orElseGet(() -> create(request, response, null));
    }

    /** Signs a user in with a brand-new session (the old one, if any, is dropped). */
    Session signIn(Request request, Response response, String username) {
        current(request).ifPresent(s -> store.delete(AuthStore.SESSIONS, s.id(), false));
        return create(request, response, username);
    }

    void signOut(Request request, Response response) {
        current(request).ifPresent(s -> store.delete(AuthStore.SESSIONS, s.id(), true));
        Http.setCookie(request, response, COOKIE, "", 0);
    }

    private Session create(Request request, Response response, String username) {
        String token = Secrets.token(32);
        String id = Secrets.fingerprint(token);
        Instant now = clock.instant();
        Duration life = username == null ? ANONYMOUS_LIFETIME : lifetime;
        Map<String, Object> m = Json.object();
        if (username != null) {
            m.put("username", username);
            m.put("authTime", now.toEpochMilli());
        }
        String csrf = Secrets.token(24);
        m.put("csrf", csrf);
        m.put("exp", now.plus(life).toEpochMilli());
        store.put(AuthStore.SESSIONS, id, m, username != null);
        Http.setCookie(request, response, COOKIE, token, -1);
        return new Session(id, username, csrf, username == null ? null : now);
    }

    /** True while the session exists, has not expired and still belongs to the user. */
    boolean isActive(String sessionId, String username) {
        if (sessionId == null || username == null) {
            return false;
        }
        return store.get(AuthStore.SESSIONS, sessionId).filter(m -> Json.lng(m, "exp", 0) > clock.millis())
                .filter(m -> username.equals(Json.str(m, "username"))).isPresent();
    }
}
