package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The administration pages: they need the admin role, which a signed-in user's account may carry (the admin API then
 * accepts their own token, see {@link AdminRole}), or the admin password (user {@code admin}), checked against that
 * API once and kept in the server-side session. A signed-in user without the role gets a 403 page saying so (with the
 * admin password form below it). Every admin page calls the admin API with those credentials.
 */
final class AdminPages {

    private final FhirGateway gateway;

    AdminPages(FhirGateway gateway) {
        this.gateway = gateway;
    }

    /** {@code /console/admin}: the sign-in form without the role, else clients and users. */
    Rendered show(Visit v) {
        String authorization = AdminRole.authorization(gateway, v);
        if (authorization == null) {
            return signInForm(v, null);
        }
        JsonNode clients = call(v, authorization, "/auth/admin/clients");
        JsonNode users = call(v, authorization, "/auth/admin/users");
        if (clients == null || users == null) {
            return lost(v);
        }
        List<Views.ClientRow> clientRows = new ArrayList<>();
        for (JsonNode c : clients.path("clients")) {
            List<String> redirects = new ArrayList<>();
            c.path("redirect_uris").forEach(r -> redirects.add(r.asText()));
            clientRows.add(new Views.ClientRow(c.path("client_id").asText(), c.path("client_name").asText(""),
                    c.path("type").asText(), c.path("scope").asText(""), String.join(" ", redirects)));
        }
        List<Views.UserRow> userRows = new ArrayList<>();
        for (JsonNode u : users.path("users")) {
            userRows.add(new Views.UserRow(u.path("username").asText(), u.path("name").asText(""),
                    u.path("fhirUser").asText(""), u.path("locked").asBoolean() ? "locked" : u.has("lockedUntil")
                            ? "locked until " + u.path("lockedUntil").asText() : "", u.path("admin").asBoolean()));
        }
        return Rendered.page("admin.jte", new Views.Admin(v.frame("Administration", "admin"), clientRows,
                userRows));
    }

    /**
     * The admin password form: a 403 page for a signed-in user without the admin role (it says so), else 200, or 401
     * after a wrong password.
     */
    Rendered signInForm(Visit v, String error) {
        String withoutRole = AdminRole.userWithoutRole(v);
        return new Rendered(withoutRole != null ? 403 : error == null ? 200 : 401, "admin-sign-in.jte",
                new Views.AdminSignIn(v.frame("Administration", "admin"), v.session() == null ? "" : v.session().csrf,
                        error, withoutRole), null);
    }

    /** The session's admin credentials are refused now (the password changed, the role was taken away). */
    Rendered lost(Visit v) {
        v.session().admin(null);
        v.session().adminRole(false);
        return signInForm(v, "The admin credentials are no longer accepted: the admin password changed or the"
                + " admin role was taken away.");
    }

    /** The posted admin password: checked against the admin API, kept in the session when it is right. */
    Rendered signIn(Visit v, String csrf, String password) {
        if (v.session() == null || csrf == null || !Secure.equal(v.session().csrf, csrf)) {
            throw new ConsoleException(403, "The form has expired; open the administration page again.");
        }
        String authorization = "Basic " + Base64.getEncoder().encodeToString(("admin:" + (password == null ? ""
                : password)).getBytes(StandardCharsets.UTF_8));
        if (call(v, authorization, "/auth/admin/clients") == null) {
            return signInForm(v, "That is not the admin password.");
        }
        v.session().admin(authorization);
        return Rendered.redirect("/console/admin");
    }

    /** The admin API's answer, or null when it refuses the credentials. */
    private JsonNode call(Visit v, String authorization, String path) {
        FhirGateway.Reply r = gateway.exchange(FhirGateway.Call.get(path, v.fhir().baseUrl(), authorization));
        if (r.status() == 401) {
            return null;
        }
        if (r.status() >= 400) {
            throw new ConsoleException(502, "The admin API answered " + r.status() + ".");
        }
        return JsonTexts.parse(r.body());
    }
}
