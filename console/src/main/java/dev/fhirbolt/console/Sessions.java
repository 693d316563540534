package dev.fhirbolt.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * The console's browser sessions, in memory: a random id in an HttpOnly, SameSite=Lax cookie scoped to
 * {@code /console}; idle sessions end after {@link #IDLE}. A restart signs everyone out (tokens never leave the server).
 */
final class Sessions {

    static final String COOKIE = "fhirbolt-console";
    static final Duration IDLE = Duration.ofHours(8);
    private static final int MAX = 10_000;

    private final Map<String, Session> byId = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** The session of the request's cookie, if it is live. */
    Session find(Request request) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (COOKIE.equals(c.getName())) {
                Session s = byId.get(c.getValue());
                Instant now = clock.instant();
                if (s != null && s.lastSeen.plus(IDLE).isAfter(now)) {
                    s.lastSeen = now;
                    return s;
                }
                if (s != null) {
                    byId.remove(s.id);
                }
            }
        }
        return null;
    }

    /** The request's session, or a new one whose cookie is set on the response. */
    Session findOrCreate(Request request, Response response) {
        Session s = find(request);
        if (s != null) {
            return s;
        }
        if (byId.size() >= MAX) {
            purge();
        }
        s = new Session(Secure.random(32), clock.instant());
        byId.put(s.id, s);
        boolean https = "https".equals(request.getHttpURI().getScheme());
        Response.addCookie(response, HttpCookie.build(COOKIE, s.id).path("/console").httpOnly(true)
                .secure(https).sameSite(HttpCookie.SameSite.LAX).build());
        return s;
    }

    void remove(Session s) {
        byId.remove(s.id);
    }

    private void purge() {
        Instant cutoff = clock.instant().minus(IDLE);
        byId.values().removeIf(s -> s.lastSeen.isBefore(cutoff));
        if (byId.size() >= MAX) {
            byId.clear();
        }
    }
}
