package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Registering, editing and removing SMART clients ({@code /console/admin/clients/...}) through the admin API: public,
 * confidential (the secret is shown once, on the page that answers the registration), asymmetric with a JWKS or a
 * JWKS URL, and backend services.
 */
final class ClientAdminPages {

    static final List<String> TYPES = List.of("public", "confidential-symmetric", "confidential-asymmetric",
            "backend-service");

    /** {@code GET /admin/clients/new}. */
    Rendered newForm(Visit v) {
        return form(v, false, "", "", "public", "", "", "", "", "", null, 200);
    }

    /** {@code GET /admin/clients/{id}}: the form filled with what is registered. */
    Rendered editForm(Visit v, AdminCalls admin, String clientId) {
        JsonNode c = admin.get("/clients/" + AdminCalls.path(clientId));
        List<String> redirects = new ArrayList<>();
        c.path("redirect_uris").forEach(r -> redirects.add(r.asText()));
        return form(v, true, c.path("client_id").asText(), c.path("client_name").asText(""),
                c.path("type").asText(), String.join("\n", redirects), c.path("launch_url").asText(""),
                c.path("scope").asText(""), c.has("jwks") ? JsonTexts.pretty(c.path("jwks")) : "",
                c.path("jwks_uri").asText(""), null, 200);
    }

    /** {@code POST /admin/clients}: registers; a confidential client's secret is on the answer page, once. */
    Rendered register(Visit v, AdminCalls admin, Form f) {
        ObjectNode body = spec(f);
        body.put("client_id", f.get("client_id").trim());
        body.put("type", f.get("type"));
        try {
            JsonNode made = admin.send("POST", "/clients", body);
            return Rendered.page("admin-client-created.jte", new AdminViews.ClientCreated(
                    v.frame("Client registered", "admin"), made.path("client_id").asText(), made.path("type").asText(),
                    made.has("client_secret") ? made.path("client_secret").asText() : null));
        } catch (ConsoleException e) {
            if (e.status() >= 500) {
                throw e;
            }
            return form(v, false, f.get("client_id"), f.get("client_name"), f.get("type"), f.get("redirect_uris"),
                    f.get("launch_url"), f.get("scope"), f.get("jwks"), f.get("jwks_uri"), e.getMessage(), 400);
        }
    }

    /** {@code POST /admin/clients/{id}}: saves the edited registration. */
    Rendered update(Visit v, AdminCalls admin, String clientId, Form f) {
        try {
            admin.send("PUT", "/clients/" + AdminCalls.path(clientId), spec(f));
            return Rendered.redirect("/console/admin?saved=" + Forms.encode(clientId));
        } catch (ConsoleException e) {
            if (e.status() >= 500 || e.status() == 404) {
                throw e;
            }
            return form(v, true, clientId, f.get("client_name"), f.get("type"), f.get("redirect_uris"),
                    f.get("launch_url"), f.get("scope"), f.get("jwks"), f.get("jwks_uri"), e.getMessage(), 400);
        }
    }

    /** {@code POST /admin/clients/{id}/delete}. */
    Rendered remove(AdminCalls admin, String clientId) {
        admin.send("DELETE", "/clients/" + AdminCalls.path(clientId), null);
        return Rendered.redirect("/console/admin?removed=" + Forms.encode(clientId));
    }

    private static ObjectNode spec(Form f) {
        ObjectNode body = AdminCalls.object();
        body.put("client_name", f.get("client_name").trim());
        ArrayNode redirects = body.putArray("redirect_uris");
        for (String line : f.get("redirect_uris").split("[\\r\\n\\s]+")) {
            if (!line.isBlank()) {
                redirects.add(line.trim());
            }
        }
        if (!f.get("launch_url").isBlank()) {
            body.put("launch_url", f.get("launch_url").trim());
        }
        if (!f.get("scope").isBlank()) {
            body.put("scope", f.get("scope").trim());
        }
        if (!f.get("jwks").isBlank()) {
            JsonNode jwks = JsonTexts.parse(f.get("jwks").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (!jwks.isObject()) {
                throw new ConsoleException(400, "The JWKS is not a JSON object ({\"keys\": [...]}).");
            }
            body.set("jwks", jwks);
        }
        if (!f.get("jwks_uri").isBlank()) {
            body.put("jwks_uri", f.get("jwks_uri").trim());
        }
        return body;
    }

    private static Rendered form(Visit v, boolean editing, String clientId, String name, String type,
            String redirects, String launchUrl, String scope, String jwks, String jwksUri, String error, int status) {
        List<AdminViews.Choice> types = new ArrayList<>();
        for (String t : TYPES) {
            types.add(new AdminViews.Choice(t, label(t), t.equals(type)));
        }
        return new Rendered(status, "admin-client.jte", new AdminViews.ClientForm(v.frame(editing
                ? "Client " + clientId : "Register a client", "admin"), v.session().csrf, editing, clientId, name, type,
                types, redirects, launchUrl, scope, jwks, jwksUri, error), null);
    }

    static String label(String type) {
        return switch (type) {
            case "public" -> "Public (browser or mobile app, PKCE, no secret)";
            case "confidential-symmetric" -> "Confidential with a client secret";
            case "confidential-asymmetric" -> "Confidential with a key pair (private_key_jwt)";
            case "backend-service" -> "Backend service (client_credentials, system/ scopes)";
            default -> type;
        };
    }
}
