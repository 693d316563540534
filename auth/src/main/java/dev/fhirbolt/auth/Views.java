package dev.fhirbolt.auth;

import java.util.List;

/**
 * What each page template ({@code auth/src/main/jte}) shows: plain data computed by the page classes and
 * type-checked against the templates at build time. Public only because the compiled templates live in their own
 * package ({@code dev.fhirbolt.auth.pages}); nothing outside this module uses them.
 */
public final class Views {

    private Views() {
    }

    /** The error page's message. */
    public record Error(String message) {
    }

    /** The sign-in form; {@code flow}, {@code next}, {@code appName} and {@code error} may be null. */
    public record SignIn(String csrf, String flow, String next, String appName, String error) {
    }

    /** A patient as the pages show them: the name in bold and the id beside it, or the id alone (no name). */
    public record PatientLabel(String id, String name) {
    }

    /** The patient picker of a flow: the search form and the patients found ({@code query} may be null). */
    public record PatientPicker(String csrf, String flow, String appName, String query, List<PatientChoice> patients) {
    }

    /** The encounter picker of a flow, for the patient already chosen. */
    public record EncounterPicker(String csrf, String flow, String appName, PatientLabel patient,
            List<EncounterChoice> encounters) {
    }

    /** One requested scope: as sent and in plain words. */
    public record ScopeLine(String raw, String description) {
    }

    /**
     * The consent page: resource scopes as checkboxes, the others as a list; {@code patient} and {@code encounter}
     * are null when the flow has none.
     */
    public record Consent(String csrf, String flow, String userName, String appName, PatientLabel patient,
            String encounter, List<ScopeLine> resourceScopes, List<ScopeLine> otherScopes) {
    }

    /** A registered app the launcher can start. */
    public record LaunchApp(String clientId, String name) {
    }

    /** A patient found on the launcher, with the link that chooses them. */
    public record LaunchPatient(String id, String name, String birthDate, String href) {
    }

    /**
     * The EHR launcher: no apps; or no patient yet (the search, {@code query} and {@code patients}); or a patient,
     * with the apps and the patient's encounters to choose from.
     */
    public record Launcher(String userName, List<LaunchApp> apps, String query, List<LaunchPatient> patients,
            String csrf, String patient, List<EncounterChoice> encounters) {
    }

    public record SignOut(String csrf) {
    }

    /** One approval on the permissions page. */
    public record Permission(String grantId, String appName, String scopes, String since) {
    }

    /** The user's own approvals, each with a revoke button. */
    public record Permissions(String csrf, List<Permission> rows) {
    }
}
