package dev.fhirbolt.console;

import java.util.List;

/** The views of the SMART administration and sandbox pages (what their templates show). */
public final class AdminViews {

    private AdminViews() {
    }

    /** One choice of a select or a list: its value and what people read. */
    public record Choice(String value, String label, boolean selected) {
    }

    public record ClientForm(Views.Frame frame, String csrf, boolean editing, String clientId, String name,
            String type, List<Choice> types, String redirectUris, String launchUrl, String scope, String jwks,
            String jwksUri, String error) {
    }

    public record ClientCreated(Views.Frame frame, String clientId, String type, String secret) {
    }

    public record UserNew(Views.Frame frame, String csrf, String username, String name, String fhirUser,
            String error) {
    }

    public record UserManage(Views.Frame frame, String csrf, String username, String name, String fhirUser,
            String fhirUserLabel, boolean locked, String state, String findType, String findName, List<Choice> found,
            boolean searched, String message, String error, boolean admin) {
    }

    public record GrantRow(String grantId, String clientId, String username, String scope, String created,
            String expires, String refresh) {
    }

    public record Grants(Views.Frame frame, String csrf, List<GrantRow> grants, String message) {
    }

    public record KeyRow(String kid, String created, String retired, String state) {
    }

    public record Keys(Views.Frame frame, String csrf, List<KeyRow> keys, String message) {
    }

    public record AuditRow(String id, String when, String type, String action, String outcome, String agent,
            String patient) {
    }

    public record Audit(Views.Frame frame, String patient, String agent, String from, String to, String outcome,
            List<Choice> outcomes, String query, String chartSvg, String chartTitle, List<AuditRow> rows,
            boolean more, String error) {
    }

    public record Sandbox(Views.Frame frame, String csrf, List<Choice> apps, String app, String name,
            List<Choice> patients, boolean searched, String patient, String patientLabel, List<Choice> encounters,
            List<Choice> practitioners, String standaloneUrl, String error) {
    }

    public record Launched(Views.Frame frame, String app, String appName, String launchId, String launchUrl,
            String iss, String patient, String patientLabel, String encounter, String user, String expires,
            List<GrantRow> grants) {
    }
}
