package dev.fhirbolt.auth;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Sign-out ({@code /auth/logout}): the confirmation form, and ending the session when it is posted. */
final class SignOutPage {

    private final Sessions sessions;

    SignOutPage(Sessions sessions) {
        this.sessions = sessions;
    }

    void show(Request request, Response response, Callback callback) {
        Sessions.Session session = sessions.ensure(request, response);
        Pages.send(response, callback, 200, "sign-out.jte", new Views.SignOut(session.csrf()));
    }

    void signOut(Request request, Response response, Callback callback, Http.Params f) {
        if (sessions.withCsrf(request, f.get("csrf")).isEmpty()) {
            Pages.error(response, callback, 400, "The form was not valid.");
            return;
        }
        sessions.signOut(request, response);
        Pages.send(response, callback, 200, "signed-out.jte");
    }
}
