package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Users ({@code /console/admin/users/...}) through the admin API: create, reset the password, link to a Patient or
 * Practitioner chosen by name, give or take the admin role, lock and unlock (a lock also revokes the user's approvals).
 */
final class UserAdminPages {

    /** {@code GET /admin/users/new}. */
    Rendered newForm(Visit v) {
        return newForm(v, "", "", v.param("fhirUser") == null ? "" : v.param("fhirUser"), null, 200);
    }

    /** {@code POST /admin/users}. */
    Rendered create(Visit v, AdminCalls admin, Form f) {
        ObjectNode body = AdminCalls.object();
        body.put("username", f.get("username").trim());
        body.put("password", f.get("password"));
        body.put("name", f.get("name").trim());
        body.put("fhirUser", f.get("fhirUser").trim());
        if ("true".equals(f.get("admin"))) {
            body.put("admin", true);
        }
        try {
            admin.send("POST", "/users", body);
            return Rendered.redirect("/console/admin/users/" + Forms.encode(f.get("username").trim()) + "?done=created");
        } catch (ConsoleException e) {
            if (e.status() >= 500) {
                throw e;
            }
            return newForm(v, f.get("username"), f.get("name"), f.get("fhirUser"), e.getMessage(), 400);
        }
    }

    /** {@code GET /admin/users/{name}}: the user, the password and lock forms, and the picker to link them. */
    Rendered show(Visit v, AdminCalls admin, String username) {
        return manage(v, admin, username, null, 200);
    }

    /** {@code POST /admin/users/{name}/{password|lock|unlock|link}}. */
    Rendered act(Visit v, AdminCalls admin, String username, String action, Form f) {
        String path = "/users/" + AdminCalls.path(username);
        try {
            switch (action) {
                case "password" -> {
                    ObjectNode body = AdminCalls.object();
                    body.put("password", f.get("password"));
                    admin.send("PUT", path + "/password", body);
                }
                case "admin" -> {
                    ObjectNode body = AdminCalls.object();
                    body.put("admin", "true".equals(f.get("admin")));
                    admin.send("PUT", path, body);
                }
                case "lock" -> admin.send("POST", path + "/lock", null);
                case "unlock" -> admin.send("DELETE", path + "/lock", null);
                case "link" -> {
                    ObjectNode body = AdminCalls.object();
                    body.put("fhirUser", f.get("fhirUser").trim());
                    if (!f.get("name").isBlank()) {
                        body.put("name", f.get("name").trim());
                    }
                    admin.send("PUT", path, body);
                }
                default -> throw new ConsoleException(404, "The console has no user action '" + action + "'.");
            }
        } catch (ConsoleException e) {
            if (e.status() >= 500 || e.status() == 404) {
                throw e;
            }
            return manage(v, admin, username, e.getMessage(), 400);
        }
        return Rendered.redirect("/console/admin/users/" + Forms.encode(username) + "?done=" + action);
    }

    private Rendered manage(Visit v, AdminCalls admin, String username, String error, int status) {
        JsonNode u = admin.get("/users/" + AdminCalls.path(username));
        String fhirUser = u.path("fhirUser").asText("");
        boolean locked = u.path("locked").asBoolean(false);
        String state = locked ? "Locked by an administrator" : u.has("lockedUntil")
                ? "Locked after failed sign-ins until " + u.path("lockedUntil").asText() : "Active";
        String findType = v.param("type") == null ? fhirUser.isEmpty() ? "Patient"
                : fhirUser.substring(0, fhirUser.indexOf('/')) : v.param("type");
        String findName = v.param("name");
        boolean searched = findName != null;
        List<AdminViews.Choice> found = searched ? People.find(v.fhir(), findType, findName, fhirUser) : List.of();
        String done = v.param("done");
        String message = done == null ? null : switch (done) {
            case "created" -> "User created.";
            case "password" -> "Password changed; a lock-out after failed sign-ins is lifted.";
            case "lock" -> "Locked: the user cannot sign in, and their approvals are revoked.";
            case "unlock" -> "Unlocked.";
            case "link" -> "Linked.";
            case "admin" -> u.path("admin").asBoolean() ? "The user has the admin role." : "The admin role is taken away.";
            default -> null;
        };
        return new Rendered(status, "admin-user.jte", new AdminViews.UserManage(v.frame("User " + username, "admin"),
                v.session().csrf, u.path("username").asText(username), u.path("name").asText(""), fhirUser,
                People.name(v.fhir(), fhirUser), locked, state, findType, findName == null ? "" : findName, found,
                searched, message, error, u.path("admin").asBoolean()), null);
    }

    private static Rendered newForm(Visit v, String username, String name, String fhirUser, String error,
            int status) {
        return new Rendered(status, "admin-user-new.jte", new AdminViews.UserNew(v.frame("Add a user", "admin"),
                v.session().csrf, username, name, fhirUser, error), null);
    }
}
