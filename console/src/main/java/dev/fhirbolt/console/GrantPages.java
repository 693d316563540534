package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The approvals in force with their refresh tokens, and revoking one ({@code /console/admin/grants}); the signing
 * keys and their rotation ({@code /console/admin/keys}).
 */
final class GrantPages {

    Rendered grants(Visit v, AdminCalls admin) {
        String message = "revoked".equals(v.param("done")) ? "Revoked: its access and refresh tokens no longer work."
                : null;
        return Rendered.page("admin-grants.jte", new AdminViews.Grants(v.frame("Approvals and refresh tokens",
                "admin"), v.session().csrf, rows(admin, v.param("client"), v.param("user")), message));
    }

    /** The approvals in force, of one app and/or user when given. */
    static List<AdminViews.GrantRow> rows(AdminCalls admin, String clientId, String username) {
        StringBuilder q = new StringBuilder();
        if (clientId != null && !clientId.isBlank()) {
            q.append("client_id=").append(Forms.encode(clientId));
        }
        if (username != null && !username.isBlank()) {
            q.append(q.isEmpty() ? "" : "&").append("username=").append(Forms.encode(username));
        }
        JsonNode list = admin.get("/grants" + (q.isEmpty() ? "" : "?" + q));
        List<AdminViews.GrantRow> rows = new ArrayList<>();
        for (JsonNode g : list.path("grants")) {
            int refresh = g.path("refresh_tokens").asInt();
            rows.add(new AdminViews.GrantRow(g.path("grant_id").asText(), g.path("client_id").asText(),
                    g.path("username").asText(""), g.path("scope").asText(""), minute(g.path("created").asText()),
                    minute(g.path("expires").asText()), refresh == 0 ? "none" : "usable until "
                            + minute(g.path("refresh_until").asText())));
        }
        return rows;
    }

    Rendered revoke(AdminCalls admin, String grantId) {
        admin.send("DELETE", "/grants/" + AdminCalls.path(grantId), null);
        return Rendered.redirect("/console/admin/grants?done=revoked");
    }

    Rendered keys(Visit v, AdminCalls admin) {
        List<AdminViews.KeyRow> rows = new ArrayList<>();
        for (JsonNode k : admin.get("/keys").path("keys")) {
            String state = k.path("signing").asBoolean() ? "signs new tokens" : k.path("verifying").asBoolean()
                    ? "retired; tokens it signed still verify" : "retired; no longer verifies";
            rows.add(new AdminViews.KeyRow(k.path("kid").asText(), minute(k.path("created").asText()),
                    minute(k.path("retired").asText("")), state));
        }
        String message = "rotated".equals(v.param("done")) ? "A new key signs from now on; the old one keeps verifying"
                + " the tokens it signed until the retention period ends." : null;
        return Rendered.page("admin-keys.jte", new AdminViews.Keys(v.frame("Signing keys", "admin"), v.session().csrf,
                rows, message));
    }

    Rendered rotate(AdminCalls admin) {
        admin.send("POST", "/keys/rotate", null);
        return Rendered.redirect("/console/admin/keys?done=rotated");
    }

    /** An ISO instant to the minute, as people read it: {@code 2026-12-07 06:55}. */
    static String minute(String instant) {
        if (instant == null || instant.length() < 16) {
            return instant == null ? "" : instant;
        }
        return instant.substring(0, 10) + " " + instant.substring(11, 16);
    }
}
