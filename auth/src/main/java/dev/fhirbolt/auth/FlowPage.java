package dev.fhirbolt.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The flow page ({@code GET /auth/flow?id=..}): shows whatever the flow still needs, in this order: sign-in, a
 * patient (a patient user's own, without asking), an encounter, consent. An EHR launch brought its context and
 * only needs the user who started it and their consent.
 */
final class FlowPage {

    private final AdminService admin;
    private final Sessions sessions;
    private final Flows flows;
    private final SignInPage signIn;
    private final ContextPicker picker;
    private final ConsentPage consent;

    FlowPage(AdminService admin, Sessions sessions, Flows flows, SignInPage signIn, ContextPicker picker,
            ConsentPage consent) {
        this.admin = admin;
        this.sessions = sessions;
        this.flows = flows;
        this.signIn = signIn;
        this.picker = picker;
        this.consent = consent;
    }

    void show(Request request, Response response, Callback callback, Http.Params q) {
        String flowId = q.get("id");
        Optional<Map<String, Object>> found = flows.find(flowId);
        if (found.isEmpty()) {
            Pages.error(response, callback, 400, "This sign-in request has expired or is unknown.");
            return;
        }
        Map<String, Object> flow = found.get();
        Sessions.Session session = sessions.ensure(request, response);
        Optional<RegisteredClient> client = admin.client(Json.str(flow, "clientId"));
        if (client.isEmpty()) {
            Pages.error(response, callback, 400, "The app is no longer registered.");
            return;
        }
        Optional<UserAccount> user = session.signedIn() ? admin.user(session.username()).filter(u -> !u.locked())
                : Optional.empty();
        if (user.isEmpty()) {
            signIn.showForFlow(response, callback, session, flowId, client.get().name());
            return;
        }
        String launchUser = Json.str(flow, "launchUser");
        if (launchUser != null && !launchUser.equalsIgnoreCase(user.get().username())) {
            Pages.error(response, callback, 403, "This launch was started by another user.");
            return;
        }
        List<String> scopes = Json.strings(flow, "scopes");
        boolean ehr = Json.bool(flow, "ehr");
        boolean wantsPatient = scopes.contains("launch/patient")
                || scopes.stream().anyMatch(s -> s.startsWith("patient/"));
        if (!ehr && user.get().isPatient() && wantsPatient && flow.get("patient") == null) {
            flow.put("patient", user.get().fhirUserId());
            flows.save(flowId, flow);
        }
        if (!ehr && scopes.contains("launch/patient") && flow.get("patient") == null) {
            picker.showPatients(response, callback, session, flowId, client.get(), q.get("q"));
            return;
        }
        if (!ehr && scopes.contains("launch/encounter") && flow.get("patient") != null
                && !Json.bool(flow, "encounterChosen")) {
            picker.showEncounters(response, callback, session, flowId, client.get(), Json.str(flow, "patient"));
            return;
        }
        consent.show(response, callback, session, flowId, flow, client.get(), user.get());
    }
}
