package dev.fhirbolt.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * "Your app permissions" ({@code /auth/manage}): the signed-in user's approvals in force, each app with its scopes,
 * and revoking one (its refresh token and every access token issued under it stop working).
 */
final class PermissionsPage {

    private final AdminService admin;
    private final Sessions sessions;
    private final Grants grants;
    private final AuthEvents events;

    PermissionsPage(AdminService admin, Sessions sessions, Grants grants, AuthEvents events) {
        this.admin = admin;
        this.sessions = sessions;
        this.grants = grants;
        this.events = events;
    }

    void show(Request request, Response response, Callback callback) {
        Sessions.Session session = sessions.ensure(request, response);
        if (!session.signedIn()) {
            Http.redirect(request, response, callback, "/auth/login?next=/auth/manage");
            return;
        }
        List<Views.Permission> rows = grants.of(session.username()).stream().map(this::row).toList();
        Pages.send(response, callback, 200, "permissions.jte", new Views.Permissions(session.csrf(), rows));
    }

    private Views.Permission row(Map<String, Object> grant) {
        String clientId = Json.str(grant, "clientId");
        String name = admin.client(clientId).map(RegisteredClient::name).orElse(clientId);
        return new Views.Permission(Json.str(grant, "grantId"), name, String.join(" ", Json.strings(grant, "scopes")),
                String.valueOf(Json.instant(grant, "created")));
    }

    /** {@code POST /auth/manage}: revokes one of the user's own approvals (another's id is ignored). */
    void revoke(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Sessions.Session> session = sessions.withCsrf(request, f.get("csrf"))
                .filter(Sessions.Session::signedIn);
        String grantId = f.get("grant");
        if (session.isEmpty() || grantId == null) {
            Pages.error(response, callback, 400, "The form was not valid.");
            return;
        }
        boolean own = grants.of(session.get().username()).stream()
                .anyMatch(g -> grantId.equals(Json.str(g, "grantId")));
        if (own) {
            grants.revoke(grantId);
            events.emit(AuthEvent.Action.TOKEN_REVOKED, true, null, session.get().username(),
                    "the user revoked an app approval on the manage page", request);
        }
        Http.redirect(request, response, callback, "/auth/manage");
    }
}
