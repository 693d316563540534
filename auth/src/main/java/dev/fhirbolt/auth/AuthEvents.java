package dev.fhirbolt.auth;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans {@link AuthEvent}s out to the registered listeners. */
final class AuthEvents {

    private static final Logger LOG = LoggerFactory.getLogger(AuthEvents.class);

    private final List<AuthEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock;

    AuthEvents(Clock clock) {
        this.clock = clock;
    }

    void add(AuthEventListener listener) {
        listeners.add(listener);
    }

    void emit(AuthEvent.Action action, boolean success, String clientId, String username, String detail,
            Request request) {
        if (listeners.isEmpty()) {
            return;
        }
        String remote = request == null ? null : Request.getRemoteAddr(request);
        AuthEvent event = new AuthEvent(action, success, clientId, username, detail, remote, clock.instant());
        for (AuthEventListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (RuntimeException e) {
                LOG.warn("auth event listener failed", e);
            }
        }
    }
}
