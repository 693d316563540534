package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The app developer sandbox ({@code /console/admin/sandbox}): launch a registered app in EHR mode for a chosen patient,
 * encounter and practitioner (a launch context made by the admin API, which the authorization endpoint's
 * {@code launch} parameter resolves), or open its launch URL for a standalone launch.
 */
final class SandboxPage {

    /** {@code GET /admin/sandbox?app=…&name=…&patient=…}: choose the app, find the patient, set the context. */
    Rendered show(Visit v, AdminCalls admin) {
        return form(v, admin, null, 200);
    }

    /** {@code POST /admin/sandbox/launch}: creates the launch context and shows it with the link that opens the app. */
    Rendered launch(Visit v, AdminCalls admin, Form f) {
        ObjectNode body = AdminCalls.object();
        body.put("client_id", f.get("app"));
        if (!f.get("patient").isBlank()) {
            body.put("patient", f.get("patient"));
        }
        if (!f.get("encounter").isBlank()) {
            body.put("encounter", f.get("encounter"));
        }
        if (!f.get("user").isBlank()) {
            body.put("username", f.get("user"));
        }
        JsonNode made;
        try {
            made = admin.send("POST", "/launches", body);
        } catch (ConsoleException e) {
            if (e.status() >= 500) {
                throw e;
            }
            return form(v, admin, e.getMessage(), 400);
        }
        String base = v.fhir().baseUrl();
        String launchId = made.path("launch").asText();
        String url = SampleApp.CLIENT_ID.equals(f.get("app"))
                ? SampleApp.launchUrl(base) + "?iss=" + Forms.encode(base) + "&launch=" + Forms.encode(launchId)
                : made.path("launch_url").asText();
        JsonNode client = admin.get("/clients/" + AdminCalls.path(f.get("app")));
        String patient = f.get("patient");
        return Rendered.page("sandbox-launched.jte", new AdminViews.Launched(v.frame("Launch ready", "sandbox"),
                f.get("app"), client.path("client_name").asText(f.get("app")), launchId, url, base, patient,
                patient.isBlank() ? "" : People.name(v.fhir(), "Patient/" + patient), f.get("encounter"),
                f.get("user"), GrantPages.minute(made.path("expires_at").asText()),
                GrantPages.rows(admin, f.get("app"), null)));
    }

    private Rendered form(Visit v, AdminCalls admin, String error, int status) {
        List<JsonNode> launchable = new ArrayList<>();
        admin.get("/clients").path("clients").forEach(c -> {
            if (c.has("launch_url")) {
                launchable.add(c);
            }
        });
        String wanted = v.param("app");
        String app = launchable.stream().map(c -> c.path("client_id").asText()).filter(id -> id.equals(wanted))
                .findFirst().orElse(launchable.stream().map(c -> c.path("client_id").asText())
                        .filter(SampleApp.CLIENT_ID::equals).findFirst().orElse(launchable.isEmpty() ? null
                                : launchable.get(0).path("client_id").asText()));
        List<AdminViews.Choice> apps = new ArrayList<>();
        String launchUrl = null;
        for (JsonNode c : launchable) {
            String id = c.path("client_id").asText();
            boolean selected = id.equals(app);
            if (selected) {
                launchUrl = SampleApp.CLIENT_ID.equals(id) ? SampleApp.launchUrl(v.fhir().baseUrl())
                        : c.path("launch_url").asText();
            }
            apps.add(new AdminViews.Choice(id, c.path("client_name").asText(id) + " (" + id + ")", selected));
        }
        String name = v.param("name");
        boolean searched = name != null;
        List<AdminViews.Choice> patients = new ArrayList<>();
        String patient = v.param("patient");
        if (searched) {
            for (AdminViews.Choice c : People.find(v.fhir(), "Patient", name, patient == null ? null : "Patient/"
                    + patient)) {
                patients.add(new AdminViews.Choice(c.value().substring("Patient/".length()), c.label(), c.selected()));
            }
        }
        List<AdminViews.Choice> encounters = List.of();
        String patientLabel = "";
        if (patient != null && !patient.isBlank()) {
            patientLabel = People.name(v.fhir(), "Patient/" + patient);
            encounters = People.encounters(v.fhir(), patient, v.param("encounter"));
        }
        List<AdminViews.Choice> practitioners = new ArrayList<>();
        for (JsonNode u : admin.get("/users").path("users")) {
            if (u.path("fhirUser").asText("").startsWith("Practitioner/") && !u.path("locked").asBoolean()) {
                String username = u.path("username").asText();
                practitioners.add(new AdminViews.Choice(username, u.path("name").asText(username) + " (" + username
                        + ", " + u.path("fhirUser").asText() + ")", username.equals(v.param("user"))));
            }
        }
        String standalone = launchUrl == null ? null : launchUrl + (launchUrl.contains("?") ? "&" : "?") + "iss="
                + Forms.encode(v.fhir().baseUrl());
        return new Rendered(status, "sandbox.jte", new AdminViews.Sandbox(v.frame("App sandbox", "sandbox"),
                v.session().csrf, apps, app == null ? "" : app, name == null ? "" : name, patients, searched,
                patient == null ? "" : patient, patientLabel, encounters, practitioners, standalone, error), null);
    }
}
