package dev.fhirbolt.auth;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The patient and encounter pickers of a standalone launch: the pages ({@code launch/patient}: search patients by
 * name, choose one; {@code launch/encounter}: one of the patient's encounters, or none) and {@code POST /auth/pick},
 * which stores the choice in the flow. Patient users never pick: they get their own patient.
 */
final class ContextPicker {

    /** What a chosen id may look like (a FHIR id). */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");

    private final AdminService admin;
    private final Sessions sessions;
    private final Flows flows;
    private final PatientDirectory directory;

    ContextPicker(AdminService admin, Sessions sessions, Flows flows, PatientDirectory directory) {
        this.admin = admin;
        this.sessions = sessions;
        this.flows = flows;
        this.directory = directory;
    }

    void showPatients(Response response, Callback callback, Sessions.Session session, String flowId,
            RegisteredClient client, String query) {
        Pages.send(response, callback, 200, "choose-patient.jte", new Views.PatientPicker(session.csrf(), flowId,
                client.name(), query, directory.findPatients(query == null ? "" : query, 50)));
    }

    void showEncounters(Response response, Callback callback, Sessions.Session session, String flowId,
            RegisteredClient client, String patientId) {
        Views.PatientLabel patient = new Views.PatientLabel(patientId, directory.patientName(patientId).orElse(null));
        Pages.send(response, callback, 200, "choose-encounter.jte", new Views.EncounterPicker(session.csrf(), flowId,
                client.name(), patient, directory.encountersOf(patientId, 50)));
    }

    /** {@code POST /auth/pick}: a patient (when the flow has none) or an encounter (empty: none). */
    void pick(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Flows.Posted> posted = flows.posted(sessions, request, f);
        if (posted.isEmpty()) {
            Pages.error(response, callback, 400, "This request has expired or the form was not valid.");
            return;
        }
        Sessions.Session session = posted.get().session();
        String flowId = posted.get().flowId();
        Map<String, Object> flow = posted.get().flow();
        if (Json.bool(flow, "ehr")) {
            Pages.error(response, callback, 400, "The EHR launch already set the context.");
            return;
        }
        UserAccount user = admin.user(session.username()).orElse(null);
        if (f.has("patient") && flow.get("patient") == null) {
            String patient = f.get("patient");
            if (user == null || user.isPatient() || patient == null || !ID.matcher(patient).matches()
                    || !directory.exists("Patient/" + patient)) {
                Pages.error(response, callback, 400, "That patient cannot be chosen.");
                return;
            }
            flow.put("patient", patient);
        } else if (f.has("encounter") && flow.get("patient") != null) {
            String encounter = f.get("encounter");
            if (encounter != null) {
                String patient = Json.str(flow, "patient");
                boolean ofPatient = directory.encountersOf(patient, 500).stream()
                        .anyMatch(e -> e.id().equals(encounter));
                if (!ofPatient) {
                    Pages.error(response, callback, 400, "That encounter cannot be chosen.");
                    return;
                }
                flow.put("encounter", encounter);
            }
            flow.put("encounterChosen", true);
        }
        flows.save(flowId, flow);
        Http.redirect(request, response, callback, Flows.page(flowId));
    }
}
