package dev.fhirbolt.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Consent: the page that lists what the app asks for in plain words (resource scopes as checkboxes the user may
 * untick) and {@code POST /auth/consent}, which ends the flow: a code for the scopes granted, or
 * {@code access_denied}. Both decisions are recorded as consent events.
 */
final class ConsentPage {

    private final AdminService admin;
    private final Sessions sessions;
    private final Flows flows;
    private final TokenService tokens;
    private final PatientDirectory directory;
    private final AuthEvents events;

    ConsentPage(AdminService admin, Sessions sessions, Flows flows, TokenService tokens, PatientDirectory directory,
            AuthEvents events) {
        this.admin = admin;
        this.sessions = sessions;
        this.flows = flows;
        this.tokens = tokens;
        this.directory = directory;
        this.events = events;
    }

    void show(Response response, Callback callback, Sessions.Session session, String flowId, Map<String, Object> flow,
            RegisteredClient client, UserAccount user) {
        List<SmartScope> scopes = SmartScope.parseAll(String.join(" ", Json.strings(flow, "scopes")));
        String patient = Json.str(flow, "patient");
        Views.PatientLabel label = patient == null ? null
                : new Views.PatientLabel(patient, directory.patientName(patient).orElse(null));
        List<Views.ScopeLine> resource = scopes.stream().filter(SmartScope::isResourceScope)
                .map(s -> new Views.ScopeLine(s.raw(), s.describe())).toList();
        List<Views.ScopeLine> other = scopes.stream().filter(s -> !s.isResourceScope())
                .map(s -> new Views.ScopeLine(s.raw(), s.describe())).toList();
        Pages.send(response, callback, 200, "consent.jte", new Views.Consent(session.csrf(), flowId,
                user.displayName(), client.name(), label, Json.str(flow, "encounter"), resource, other));
    }

    /** {@code POST /auth/consent}: allow (with the ticked scopes) or deny; either way the flow ends at the app. */
    void decide(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Flows.Posted> posted = flows.posted(sessions, request, f);
        if (posted.isEmpty()) {
            Pages.error(response, callback, 400, "This request has expired or the form was not valid.");
            return;
        }
        Sessions.Session session = posted.get().session();
        String flowId = posted.get().flowId();
        Map<String, Object> flow = posted.get().flow();
        flows.end(flowId); // a flow ends with one decision
        String redirectUri = Json.str(flow, "redirectUri");
        String state = Json.str(flow, "state");
        if (!"allow".equals(f.get("decision"))) {
            events.emit(AuthEvent.Action.CONSENT, false, Json.str(flow, "clientId"), session.username(),
                    "the user denied access", request);
            Flows.redirectError(request, response, callback, redirectUri, state, "access_denied",
                    "the user denied access");
            return;
        }
        UserAccount user = admin.user(session.username()).orElse(null);
        if (user == null) {
            Pages.error(response, callback, 400, "Your account no longer exists.");
            return;
        }
        List<String> ticked = f.all("scope");
        String patient = Json.str(flow, "patient");
        String encounter = Json.str(flow, "encounter");
        boolean ehr = Json.bool(flow, "ehr");
        List<String> granted = new ArrayList<>();
        for (SmartScope s : SmartScope.parseAll(String.join(" ", Json.strings(flow, "scopes")))) {
            boolean keep = switch (s.kind()) {
                case RESOURCE -> ticked.contains(s.raw()) && (s.context() != SmartScope.Context.PATIENT || patient != null);
                case LAUNCH -> ehr;
                case LAUNCH_PATIENT -> patient != null;
                case LAUNCH_ENCOUNTER -> encounter != null;
                case ONLINE_ACCESS -> !Json.strings(flow, "scopes").contains("offline_access");
                default -> true;
            };
            if (keep) {
                granted.add(s.raw());
            }
        }
        if (granted.stream().noneMatch(s -> s.contains("/") && !s.startsWith("launch")) && !granted.contains("openid")) {
            Flows.redirectError(request, response, callback, redirectUri, state, "access_denied",
                    "the user granted nothing");
            return;
        }
        boolean patientScopes = granted.stream().anyMatch(s -> s.startsWith("patient/"));
        Authorization a = new Authorization(Secrets.token(16), Json.str(flow, "clientId"), user.username(),
                user.fhirUser(), granted, patient, encounter,
                Json.contextFromJson(Json.objects(flow, "fhirContext")), patient != null && !ehr && patientScopes,
                Json.str(flow, "nonce"), session.id(), session.authTime());
        events.emit(AuthEvent.Action.CONSENT, true, Json.str(flow, "clientId"), user.username(),
                "approved scopes: " + String.join(" ", granted) + (patient == null ? "" : " patient=" + patient),
                request);
        String code = tokens.issueCode(a, redirectUri, Json.str(flow, "codeChallenge"), Json.str(flow, "baseUrl"));
        Flows.redirectCode(request, response, callback, redirectUri, state, code);
    }
}
