package dev.fhirbolt.auth;

import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The EHR launcher ({@code /auth/launch}): a signed-in user chooses a patient (a patient user has their own), an app
 * with a launch URL and optionally an encounter; the server records the launch and opens the app's launch URL with
 * {@code iss} and {@code launch}, and the app's authorization request then carries that context.
 */
final class EhrLauncher {

    private final AdminService admin;
    private final Sessions sessions;
    private final PatientDirectory directory;

    EhrLauncher(AdminService admin, Sessions sessions, PatientDirectory directory) {
        this.admin = admin;
        this.sessions = sessions;
        this.directory = directory;
    }

    /** {@code GET /auth/launch}: the patient search, or the app and encounter choice for {@code ?patient=}. */
    void show(Request request, Response response, Callback callback, Http.Params q) {
        Sessions.Session session = sessions.ensure(request, response);
        Optional<UserAccount> user = session.signedIn() ? admin.user(session.username()).filter(u -> !u.locked())
                : Optional.empty();
        if (user.isEmpty()) {
            Http.redirect(request, response, callback, "/auth/login?next=/auth/launch");
            return;
        }
        List<Views.LaunchApp> apps = admin.listClients().stream().filter(c -> c.launchUrl() != null)
                .map(c -> new Views.LaunchApp(c.clientId(), c.name())).toList();
        String patient = apps.isEmpty() ? null : user.get().isPatient() ? user.get().fhirUserId() : q.get("patient");
        String query = q.get("q");
        List<Views.LaunchPatient> found = apps.isEmpty() || patient != null ? List.of()
                : directory.findPatients(query == null ? "" : query, 50).stream()
                        .map(p -> new Views.LaunchPatient(p.id(), p.name(), p.birthDate(),
                                "/auth/launch?patient=" + Http.urlEncode(p.id())))
                        .toList();
        List<EncounterChoice> encounters = patient == null ? List.of() : directory.encountersOf(patient, 50);
        Pages.send(response, callback, 200, "launcher.jte", new Views.Launcher(user.get().displayName(), apps, query,
                found, session.csrf(), patient, encounters));
    }

    /** {@code POST /auth/launch}: creates the launch and sends the browser to the app's launch URL. */
    void launch(Request request, Response response, Callback callback, Http.Params f, String baseUrl) {
        Optional<Sessions.Session> session = sessions.withCsrf(request, f.get("csrf"));
        Optional<UserAccount> user = session.filter(Sessions.Session::signedIn)
                .flatMap(s -> admin.user(s.username())).filter(u -> !u.locked());
        if (user.isEmpty()) {
            Pages.error(response, callback, 400, "Please sign in again; the form was not valid.");
            return;
        }
        String patient = f.get("patient");
        String encounter = f.get("encounter");
        if (patient == null || !ContextPicker.ID.matcher(patient).matches() || !directory.exists("Patient/" + patient)
                || (user.get().isPatient() && !patient.equals(user.get().fhirUserId()))) {
            Pages.error(response, callback, 400, "That patient cannot be chosen.");
            return;
        }
        if (encounter != null && directory.encountersOf(patient, 500).stream().noneMatch(e -> e.id().equals(encounter))) {
            Pages.error(response, callback, 400, "That encounter cannot be chosen.");
            return;
        }
        List<FhirContextItem> ctx = encounter == null ? List.of()
                : List.of(FhirContextItem.reference("Encounter/" + encounter));
        EhrLaunch launch;
        try {
            launch = admin.createLaunch(baseUrl, f.get("client"), user.get().username(), patient, encounter, ctx);
        } catch (IllegalArgumentException e) {
            Pages.error(response, callback, 400, e.getMessage());
            return;
        }
        Http.redirect(request, response, callback, launch.launchUrl());
    }
}
