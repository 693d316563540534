package dev.fhirbolt.console;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Signing in through the server's own SMART authorization server: the console is a registered public client using
 * the authorization code flow with PKCE; the browser only ever holds the session cookie, the tokens stay here.
 */
final class SignIn {

    private final ConsoleSettings settings;
    private final Sessions sessions;
    private final Tokens tokens;

    SignIn(ConsoleSettings settings, Sessions sessions, Tokens tokens) {
        this.settings = settings;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** {@code /console/login}: starts the flow and sends the browser to the authorize endpoint. */
    void start(Request request, Response response, Callback callback, String baseUrl, String next) {
        if (!settings.secured()) {
            Render.redirect(request, response, callback, "/console/");
            return;
        }
        Session session = sessions.findOrCreate(request, response);
        String state = Secure.random(24);
        String verifier = Secure.random(48);
        session.pending(state, verifier, safeNext(next));
        String authorize = "/auth/authorize?" + Forms.query(Forms.map("response_type", "code",
                "client_id", settings.clientId(), "redirect_uri", baseUrl + ConsoleSettings.CALLBACK,
                "scope", settings.scope(), "state", state, "aud", baseUrl,
                "code_challenge", Secure.s256(verifier), "code_challenge_method", "S256"));
        Render.redirect(request, response, callback, authorize);
    }

    /** {@code /console/callback}: checks the state, exchanges the code and goes to the page the user wanted. */
    String finish(Request request, String baseUrl, String code, String state, String error, String description) {
        Session session = sessions.find(request);
        String[] pending = session == null ? null : session.takePending(state);
        if (pending == null) {
            throw new ConsoleException(400, "This sign-in was not started from this browser or has expired."
                    + " Please sign in again.");
        }
        if (error != null) {
            throw new ConsoleException(403, "Sign-in did not complete: " + error
                    + (description == null ? "" : " (" + description + ")"));
        }
        if (code == null) {
            throw new ConsoleException(400, "The sign-in server sent no authorization code.");
        }
        tokens.exchange(session, baseUrl, code, pending[0]);
        return pending[1];
    }

    /** {@code /console/logout}: revokes the tokens and forgets the session. */
    void signOut(Request request, String baseUrl) {
        Session session = sessions.find(request);
        if (session != null) {
            tokens.revoke(session, baseUrl);
            session.signOut();
            sessions.remove(session);
        }
    }

    /** Only pages of the console itself, so that the sign-in cannot be used to send people elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console/") || next.contains("//") || next.contains("\\")
                || next.startsWith("/console/login") || next.startsWith("/console/callback")) {
            return "/console/";
        }
        return next;
    }
}
