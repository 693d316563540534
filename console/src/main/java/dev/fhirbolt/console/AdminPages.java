package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The administration pages: they need the admin role, which is what the auth server's admin API accepts today (the
 * admin password, user {@code admin}). The password is checked against that API once and the resulting credentials
 * stay in the server-side session; every admin page calls the admin API with them.
 */
final class AdminPages {

    private final FhirGateway gateway;

    AdminPages(FhirGateway gateway) {
        this.gateway = gateway;
    }

    /** {@code /console/admin}: the sign-in form without the role, else clients and users. */
    Rendered show(Visit v) {
        String authorization = v.session() == null ? null : v.session().adminAuthorization();
        if (authorization == null) {
            return signInForm(v, null);
        }
        JsonNode clients = call(v, authorization, "/auth/admin/clients");
        JsonNode users = call(v, authorization, "/auth/admin/users");
        if (clients == null || users == null) {
            v.session().admin(null);
            return signInForm(v, "The admin credentials are no longer accepted; sign in as admin again.");
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
                    u.path("fhirUser").asText(""), u.has("lockedUntil") ? "locked until "
                            + u.path("lockedUntil").asText() : ""));
        }
        return Rendered.page("admin.jte", new Views.Admin(v.frame("Administration", "admin"), clientRows,
                userRows));
    }

    Rendered signInForm(Visit v, String error) {
        return new Rendered(error == null ? 200 : 401, "admin-sign-in.jte", new Views.AdminSignIn(
                v.frame("Administration", "admin"), v.session() == null ? "" : v.session().csrf, error), null);
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
