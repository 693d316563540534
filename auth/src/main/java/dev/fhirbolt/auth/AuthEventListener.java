package dev.fhirbolt.auth;

/**
 * Receives the authorization server's {@link AuthEvent}s (register with {@link AuthServer#addListener}). Called on
 * the request thread: implementations must be quick and must not throw (a thrown exception is logged and ignored).
 */
@FunctionalInterface
public interface AuthEventListener {
    void onEvent(AuthEvent event);
}
