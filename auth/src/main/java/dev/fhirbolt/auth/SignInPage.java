package dev.fhirbolt.auth;

import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sign-in ({@code /auth/login}): the form, shown on its own or as the first step of a flow, and the check of user
 * name and password. A signed-in user goes on with the flow, to a safe {@code next} page of this server, or to the
 * launcher. Failures are recorded as sign-in events; repeated failures lock the account for a while.
 */
final class SignInPage {

    private final AdminService admin;
    private final Sessions sessions;
    private final Flows flows;
    private final AuthEvents events;

    SignInPage(AdminService admin, Sessions sessions, Flows flows, AuthEvents events) {
        this.admin = admin;
        this.sessions = sessions;
        this.flows = flows;
        this.events = events;
    }

    /** {@code GET /auth/login}: the form, for a {@code next} page of this server. */
    void show(Request request, Response response, Callback callback, Http.Params q) {
        Sessions.Session session = sessions.ensure(request, response);
        form(response, callback, session, null, safeNext(q.get("next")), null, null);
    }

    /** The form for a flow, naming the app that asks. */
    void showForFlow(Response response, Callback callback, Sessions.Session session, String flowId, String appName) {
        form(response, callback, session, flowId, null, null, appName);
    }

    /** {@code POST /auth/login}. */
    void signIn(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Sessions.Session> current = sessions.current(request);
        String flowId = f.get("flow");
        String next = safeNext(f.get("next"));
        if (current.isEmpty() || !Secrets.equal(current.get().csrf(), f.get("csrf"))) {
            Sessions.Session fresh = sessions.ensure(request, response);
            if (current.isPresent()) {
                fresh = current.get();
            }
            form(response, callback, fresh, flowId, next, "Your session expired. Please sign in again.", null);
            return;
        }
        String username = f.get("username");
        AdminService.LoginResult result = admin.authenticate(username, f.get("password"));
        events.emit(AuthEvent.Action.LOGIN, result == AdminService.LoginResult.OK, null, username,
                "sign-in " + result.name().toLowerCase(Locale.ROOT), request);
        if (result != AdminService.LoginResult.OK) {
            String msg = result == AdminService.LoginResult.LOCKED
                    ? "Too many failed sign-ins. This account is locked for a while; try again later."
                    : "The user name or password is not right.";
            form(response, callback, current.get(), flowId, next, msg, null);
            return;
        }
        String canonical = admin.user(username).map(UserAccount::username).orElse(username);
        sessions.signIn(request, response, canonical);
        if (flowId != null && flows.find(flowId).isPresent()) {
            Http.redirect(request, response, callback, Flows.page(flowId));
        } else {
            Http.redirect(request, response, callback, next != null ? next : "/auth/launch");
        }
    }

    private static void form(Response response, Callback callback, Sessions.Session session, String flowId,
            String next, String error, String appName) {
        Pages.send(response, callback, error == null ? 200 : 401, "sign-in.jte",
                new Views.SignIn(session.csrf(), flowId, next, appName, error));
    }

    /** Only a page of the authorization server itself, never another origin. */
    private static String safeNext(String next) {
        return next != null && next.startsWith("/auth/") && !next.startsWith("//") && !next.contains("\\")
                ? next : null;
    }
}
