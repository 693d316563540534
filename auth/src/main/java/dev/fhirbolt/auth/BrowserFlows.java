package dev.fhirbolt.auth;

import static dev.fhirbolt.auth.Html.esc;
import static dev.fhirbolt.auth.Html.hidden;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The browser side: the authorization endpoint, sign-in, patient and encounter pickers, consent, the EHR
 * launcher, sign-out and the page where users review their approvals.
 *
 * <p>An authorization request that passes validation becomes a <em>flow</em> (stored for ten minutes under a
 * random id); {@code /auth/flow?id=..} then shows whatever the flow still needs: sign-in, a patient, an
 * encounter, consent. Every form carries the session's CSRF token.
 */
final class BrowserFlows {

    private static final Duration FLOW_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");

    private final AuthSettings settings;
    private final AuthStore store;
    private final Clock clock;
    private final AdminService admin;
    private final Sessions sessions;
    private final TokenService tokens;
    private final PatientDirectory directory;
    private final AuthEvents events;

    BrowserFlows(AuthSettings settings, AuthStore store, Clock clock, AdminService admin, Sessions sessions,
            TokenService tokens, PatientDirectory directory, AuthEvents events) {
        this.events = events;
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.admin = admin;
        this.sessions = sessions;
        this.tokens = tokens;
        this.directory = directory;
    }

    // ------------------------------------------------------------------ authorize

    void authorize(Request request, Response response, Callback callback, Http.Params p, String baseUrl) {
        Optional<String> repeated = p.repeated();
        if (repeated.isPresent()) {
            Html.error(response, callback, 400, "The parameter " + repeated.get() + " was given more than once.");
            return;
        }
        Optional<RegisteredClient> found = admin.client(p.get("client_id"));
        if (found.isEmpty()) {
            Html.error(response, callback, 400, "The app is not registered with this server (unknown client_id).");
            return;
        }
        RegisteredClient client = found.get();
        String redirectUri = p.get("redirect_uri");
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            Html.error(response, callback, 400,
                    "The redirect_uri is missing or is not one registered for " + client.name() + ".");
            return;
        }
        String state = p.get("state");
        if (!"code".equals(p.get("response_type"))) {
            fail(request, response, callback, redirectUri, state, "unsupported_response_type",
                    "response_type must be code");
            return;
        }
        if (client.type() == ClientType.BACKEND_SERVICE) {
            fail(request, response, callback, redirectUri, state, "unauthorized_client",
                    "backend services use client_credentials");
            return;
        }
        if (state == null) {
            fail(request, response, callback, redirectUri, null, "invalid_request", "state is required");
            return;
        }
        String challenge = p.get("code_challenge");
        String method = p.get("code_challenge_method");
        if (challenge == null) {
            fail(request, response, callback, redirectUri, state, "invalid_request",
                    "PKCE is required: send code_challenge with code_challenge_method=S256");
            return;
        }
        if (!"S256".equals(method)) {
            fail(request, response, callback, redirectUri, state, "invalid_request",
                    "code_challenge_method must be S256 (plain is not accepted)");
            return;
        }
        if (!CHALLENGE.matcher(challenge).matches()) {
            fail(request, response, callback, redirectUri, state, "invalid_request",
                    "code_challenge must be a base64url SHA-256 (43 characters)");
            return;
        }
        String aud = p.get("aud");
        if (aud == null || !AuthSettings.trimSlash(aud).equals(baseUrl)) {
            fail(request, response, callback, redirectUri, state, "invalid_request",
                    "aud must be this FHIR server's base URL " + baseUrl);
            return;
        }
        String scope = p.get("scope");
        if (scope == null) {
            fail(request, response, callback, redirectUri, state, "invalid_scope", "scope is required");
            return;
        }
        List<SmartScope> allowed = client.allowedScopes();
        List<String> requested = new ArrayList<>();
        for (SmartScope s : SmartScope.parseAll(scope)) {
            if (s.isResourceScope() && s.context() == SmartScope.Context.SYSTEM) {
                continue; // system/ scopes are for backend services
            }
            if (SmartScope.coveredBy(s, allowed)) {
                requested.add(s.raw());
            }
        }
        String launchId = p.get("launch");
        EhrLaunch launch = null;
        if (launchId != null) {
            launch = admin.launch(launchId).orElse(null);
            if (launch == null || !launch.clientId().equals(client.clientId())) {
                fail(request, response, callback, redirectUri, state, "invalid_request",
                        "launch is unknown, expired or belongs to another app");
                return;
            }
        }
        if (launch == null) {
            requested.remove("launch");
        }
        if (requested.stream().noneMatch(s -> SmartScope.parse(s).orElseThrow().isResourceScope())
                && !requested.contains("openid")) {
            fail(request, response, callback, redirectUri, state, "invalid_scope",
                    "none of the requested scopes can be granted to this app");
            return;
        }
        Map<String, Object> flow = Json.object();
        flow.put("clientId", client.clientId());
        flow.put("redirectUri", redirectUri);
        flow.put("state", state);
        flow.put("scopes", requested);
        flow.put("codeChallenge", challenge);
        if (p.get("nonce") != null) {
            flow.put("nonce", p.get("nonce"));
        }
        flow.put("baseUrl", baseUrl);
        if (launch != null) {
            flow.put("ehr", true);
            if (launch.username() != null) {
                flow.put("launchUser", launch.username());
            }
            if (launch.patient() != null) {
                flow.put("patient", launch.patient());
            }
            if (launch.encounter() != null) {
                flow.put("encounter", launch.encounter());
            }
            flow.put("fhirContext", Json.contextToJson(launch.fhirContext()));
        }
        flow.put("exp", clock.instant().plus(FLOW_LIFETIME).toEpochMilli());
        String flowId = Secrets.token(24);
        store.put(AuthStore.FLOWS, flowId, flow, false);
        Http.redirect(request, response, callback, "/auth/flow?id=" + flowId);
    }

    private void fail(Request request, Response response, Callback callback, String redirectUri, String state,
            String error, String description) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("error", error);
        q.put("error_description", description);
        q.put("state", state);
        Http.redirect(request, response, callback, Http.withQuery(redirectUri, q));
    }

    private Optional<Map<String, Object>> flow(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return store.get(AuthStore.FLOWS, id).filter(f -> Json.lng(f, "exp", 0) > clock.millis());
    }

    // ------------------------------------------------------------------ the flow page

    void showFlow(Request request, Response response, Callback callback, Http.Params q) {
        String flowId = q.get("id");
        Optional<Map<String, Object>> found = flow(flowId);
        if (found.isEmpty()) {
            Html.error(response, callback, 400, "This sign-in request has expired or is unknown.");
            return;
        }
        Map<String, Object> flow = found.get();
        Sessions.Session session = sessions.ensure(request, response);
        Optional<RegisteredClient> client = admin.client(Json.str(flow, "clientId"));
        if (client.isEmpty()) {
            Html.error(response, callback, 400, "The app is no longer registered.");
            return;
        }
        Optional<UserAccount> user = session.signedIn() ? admin.user(session.username()).filter(u -> !u.locked())
                : Optional.empty();
        if (user.isEmpty()) {
            loginPage(response, callback, session, flowId, null, null, client.get().name());
            return;
        }
        String launchUser = Json.str(flow, "launchUser");
        if (launchUser != null && !launchUser.equalsIgnoreCase(user.get().username())) {
            Html.error(response, callback, 403, "This launch was started by another user.");
            return;
        }
        List<String> scopes = Json.strings(flow, "scopes");
        boolean ehr = Json.bool(flow, "ehr");
        boolean wantsPatient = scopes.contains("launch/patient")
                || scopes.stream().anyMatch(s -> s.startsWith("patient/"));
        if (!ehr && user.get().isPatient() && wantsPatient && flow.get("patient") == null) {
            flow.put("patient", user.get().fhirUserId());
            store.put(AuthStore.FLOWS, flowId, flow, false);
        }
        if (!ehr && scopes.contains("launch/patient") && flow.get("patient") == null) {
            patientPicker(response, callback, session, flowId, client.get(), q.get("q"));
            return;
        }
        if (!ehr && scopes.contains("launch/encounter") && flow.get("patient") != null
                && !Json.bool(flow, "encounterChosen")) {
            encounterPicker(response, callback, session, flowId, client.get(), Json.str(flow, "patient"));
            return;
        }
        consentPage(response, callback, session, flowId, flow, client.get(), user.get());
    }

    private void loginPage(Response response, Callback callback, Sessions.Session session, String flowId,
            String next, String error, String appName) {
        StringBuilder b = new StringBuilder();
        if (appName != null) {
            b.append("<p>Sign in to let <strong>").append(esc(appName)).append("</strong> use your health records.</p>");
        }
        if (error != null) {
            b.append("<p class=\"error\" role=\"alert\">").append(esc(error)).append("</p>");
        }
        b.append("<form method=\"post\" action=\"/auth/login\">").append(hidden("csrf", session.csrf()));
        if (flowId != null) {
            b.append(hidden("flow", flowId));
        }
        if (next != null) {
            b.append(hidden("next", next));
        }
        b.append("<label for=\"username\">User name</label>")
                .append("<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\" required autofocus>")
                .append("<label for=\"password\">Password</label>")
                .append("<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\" required>")
                .append("<button type=\"submit\" class=\"primary\" id=\"sign-in\">Sign in</button></form>");
        Html.send(response, callback, error == null ? 200 : 401, "Sign in", b.toString());
    }

    void showLogin(Request request, Response response, Callback callback, Http.Params q) {
        Sessions.Session session = sessions.ensure(request, response);
        loginPage(response, callback, session, null, safeNext(q.get("next")), null, null);
    }

    private static String safeNext(String next) {
        return next != null && next.startsWith("/auth/") && !next.startsWith("//") && !next.contains("\\")
                ? next : null;
    }

    void login(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Sessions.Session> current = sessions.current(request);
        String flowId = f.get("flow");
        String next = safeNext(f.get("next"));
        if (current.isEmpty() || !Secrets.equal(current.get().csrf(), f.get("csrf"))) {
            Sessions.Session fresh = sessions.ensure(request, response);
            if (current.isPresent()) {
                fresh = current.get();
            }
            loginPage(response, callback, fresh, flowId, next, "Your session expired. Please sign in again.", null);
            return;
        }
        String username = f.get("username");
        AdminService.LoginResult result = admin.authenticate(username, f.get("password"));
        events.emit(AuthEvent.Action.LOGIN, result == AdminService.LoginResult.OK, null, username,
                "sign-in " + result.name().toLowerCase(java.util.Locale.ROOT), request);
        if (result != AdminService.LoginResult.OK) {
            String msg = result == AdminService.LoginResult.LOCKED
                    ? "Too many failed sign-ins. This account is locked for a while; try again later."
                    : "The user name or password is not right.";
            loginPage(response, callback, current.get(), flowId, next, msg, null);
            return;
        }
        String canonical = admin.user(username).map(UserAccount::username).orElse(username);
        sessions.signIn(request, response, canonical);
        if (flowId != null && flow(flowId).isPresent()) {
            Http.redirect(request, response, callback, "/auth/flow?id=" + flowId);
        } else {
            Http.redirect(request, response, callback, next != null ? next : "/auth/launch");
        }
    }

    private void patientPicker(Response response, Callback callback, Sessions.Session session, String flowId,
            RegisteredClient client, String query) {
        StringBuilder b = new StringBuilder();
        b.append("<p><strong>").append(esc(client.name()))
                .append("</strong> needs a patient. Find the patient and choose them.</p>");
        b.append("<form method=\"get\" action=\"/auth/flow\" role=\"search\">").append(hidden("id", flowId))
                .append("<label for=\"q\">Patient name</label>")
                .append("<input type=\"search\" id=\"q\" name=\"q\" value=\"").append(esc(query)).append("\">")
                .append("<button type=\"submit\" class=\"secondary\" id=\"search\">Search</button></form>");
        List<PatientChoice> found = directory.findPatients(query == null ? "" : query, 50);
        if (found.isEmpty()) {
            b.append("<p>No patients found.</p>");
        } else {
            b.append("<form method=\"post\" action=\"/auth/pick\">").append(hidden("csrf", session.csrf()))
                    .append(hidden("flow", flowId)).append("<fieldset><legend>Patients</legend>");
            boolean first = true;
            for (PatientChoice pc : found) {
                b.append("<label><input type=\"radio\" name=\"patient\" value=\"").append(esc(pc.id())).append("\"")
                        .append(first ? " required" : "").append("> <span>").append(esc(pc.name()));
                if (pc.birthDate() != null) {
                    b.append(", born ").append(esc(pc.birthDate()));
                }
                if (pc.gender() != null) {
                    b.append(", ").append(esc(pc.gender()));
                }
                b.append(" <span class=\"note\">(").append(esc(pc.id())).append(")</span></span></label>");
                first = false;
            }
            b.append("</fieldset><button type=\"submit\" class=\"primary\" id=\"choose-patient\">Continue</button></form>");
        }
        Html.send(response, callback, 200, "Choose a patient", b.toString());
    }

    /** A patient as the pages show them: the name in bold and the id beside it, or the id alone. */
    private String patientLabel(String patientId) {
        return directory.patientName(patientId).map(n -> "<strong>" + esc(n) + "</strong> (" + esc(patientId) + ")")
                .orElse("<strong>" + esc(patientId) + "</strong>");
    }

    private void encounterPicker(Response response, Callback callback, Sessions.Session session, String flowId,
            RegisteredClient client, String patientId) {
        StringBuilder b = new StringBuilder();
        b.append("<p><strong>").append(esc(client.name())).append("</strong> asks for an encounter of patient ")
                .append(patientLabel(patientId)).append(".</p>");
        b.append("<form method=\"post\" action=\"/auth/pick\">").append(hidden("csrf", session.csrf()))
                .append(hidden("flow", flowId)).append("<fieldset><legend>Encounters</legend>")
                .append("<label><input type=\"radio\" name=\"encounter\" value=\"\" checked> <span>No encounter</span></label>");
        for (EncounterChoice e : directory.encountersOf(patientId, 50)) {
            b.append("<label><input type=\"radio\" name=\"encounter\" value=\"").append(esc(e.id())).append("\"> <span>")
                    .append(esc(e.description())).append(" <span class=\"note\">(").append(esc(e.id()))
                    .append(")</span></span></label>");
        }
        b.append("</fieldset><button type=\"submit\" class=\"primary\" id=\"choose-encounter\">Continue</button></form>");
        Html.send(response, callback, 200, "Choose an encounter", b.toString());
    }

    void pick(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Sessions.Session> session = checkedSession(request, f);
        String flowId = f.get("flow");
        Optional<Map<String, Object>> found = flow(flowId);
        if (session.isEmpty() || !session.get().signedIn() || found.isEmpty()) {
            Html.error(response, callback, 400, "This request has expired or the form was not valid.");
            return;
        }
        Map<String, Object> flow = found.get();
        if (Json.bool(flow, "ehr")) {
            Html.error(response, callback, 400, "The EHR launch already set the context.");
            return;
        }
        UserAccount user = admin.user(session.get().username()).orElse(null);
        if (f.has("patient") && flow.get("patient") == null) {
            String patient = f.get("patient");
            if (user == null || user.isPatient() || patient == null || !ID.matcher(patient).matches()
                    || !directory.exists("Patient/" + patient)) {
                Html.error(response, callback, 400, "That patient cannot be chosen.");
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
                    Html.error(response, callback, 400, "That encounter cannot be chosen.");
                    return;
                }
                flow.put("encounter", encounter);
            }
            flow.put("encounterChosen", true);
        }
        store.put(AuthStore.FLOWS, flowId, flow, false);
        Http.redirect(request, response, callback, "/auth/flow?id=" + flowId);
    }

    private Optional<Sessions.Session> checkedSession(Request request, Http.Params f) {
        return sessions.current(request).filter(s -> Secrets.equal(s.csrf(), f.get("csrf")));
    }

    // ------------------------------------------------------------------ consent

    private void consentPage(Response response, Callback callback, Sessions.Session session, String flowId,
            Map<String, Object> flow, RegisteredClient client, UserAccount user) {
        List<SmartScope> scopes = SmartScope.parseAll(String.join(" ", Json.strings(flow, "scopes")));
        StringBuilder b = new StringBuilder();
        b.append("<p>Signed in as <strong>").append(esc(user.displayName())).append("</strong>.</p>");
        b.append("<p><strong>").append(esc(client.name())).append("</strong> asks for permission to:</p>");
        String patient = Json.str(flow, "patient");
        String encounter = Json.str(flow, "encounter");
        if (patient != null) {
            b.append("<p class=\"context\">Patient: ").append(patientLabel(patient));
            if (encounter != null) {
                b.append("<br>Encounter: <strong>").append(esc(encounter)).append("</strong>");
            }
            b.append("</p>");
        }
        b.append("<form method=\"post\" action=\"/auth/consent\">").append(hidden("csrf", session.csrf()))
                .append(hidden("flow", flowId));
        List<SmartScope> resource = scopes.stream().filter(SmartScope::isResourceScope).toList();
        if (!resource.isEmpty()) {
            b.append("<fieldset><legend>Health records (untick what you do not want to share)</legend>");
            int i = 0;
            for (SmartScope s : resource) {
                String id = "scope-" + i++;
                b.append("<label for=\"").append(id).append("\"><input type=\"checkbox\" id=\"").append(id)
                        .append("\" name=\"scope\" value=\"").append(esc(s.raw())).append("\" checked> <span>")
                        .append(esc(s.describe())).append(" <span class=\"note\">(").append(esc(s.raw()))
                        .append(")</span></span></label>");
            }
            b.append("</fieldset>");
        }
        List<SmartScope> other = scopes.stream().filter(s -> !s.isResourceScope()).toList();
        if (!other.isEmpty()) {
            b.append("<p>It will also:</p><ul>");
            for (SmartScope s : other) {
                b.append("<li>").append(esc(s.describe())).append(" <span class=\"note\">(").append(esc(s.raw()))
                        .append(")</span></li>");
            }
            b.append("</ul>");
        }
        b.append("<button type=\"submit\" name=\"decision\" value=\"allow\" class=\"primary\" id=\"allow\">Allow</button>")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\" id=\"deny\">Deny</button>")
                .append("</form><p class=\"note\">You can withdraw this permission later at <a href=\"/auth/manage\">")
                .append("your app permissions</a>.</p>");
        Html.send(response, callback, 200, "Allow access?", b.toString());
    }

    void consent(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Sessions.Session> session = checkedSession(request, f);
        String flowId = f.get("flow");
        Optional<Map<String, Object>> found = flow(flowId);
        if (session.isEmpty() || !session.get().signedIn() || found.isEmpty()) {
            Html.error(response, callback, 400, "This request has expired or the form was not valid.");
            return;
        }
        Map<String, Object> flow = found.get();
        store.delete(AuthStore.FLOWS, flowId, false); // a flow ends with one decision
        String redirectUri = Json.str(flow, "redirectUri");
        String state = Json.str(flow, "state");
        if (!"allow".equals(f.get("decision"))) {
            events.emit(AuthEvent.Action.CONSENT, false, Json.str(flow, "clientId"), session.get().username(),
                    "the user denied access", request);
            fail(request, response, callback, redirectUri, state, "access_denied", "the user denied access");
            return;
        }
        UserAccount user = admin.user(session.get().username()).orElse(null);
        if (user == null) {
            Html.error(response, callback, 400, "Your account no longer exists.");
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
            fail(request, response, callback, redirectUri, state, "access_denied", "the user granted nothing");
            return;
        }
        boolean patientScopes = granted.stream().anyMatch(s -> s.startsWith("patient/"));
        Authorization a = new Authorization(Secrets.token(16), Json.str(flow, "clientId"), user.username(),
                user.fhirUser(), granted, patient, encounter,
                Json.contextFromJson(Json.objects(flow, "fhirContext")), patient != null && !ehr && patientScopes,
                Json.str(flow, "nonce"), session.get().id(), session.get().authTime());
        events.emit(AuthEvent.Action.CONSENT, true, Json.str(flow, "clientId"), user.username(),
                "approved scopes: " + String.join(" ", granted) + (patient == null ? "" : " patient=" + patient),
                request);
        String code = tokens.issueCode(a, redirectUri, Json.str(flow, "codeChallenge"), Json.str(flow, "baseUrl"));
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", code);
        q.put("state", state);
        Http.redirect(request, response, callback, Http.withQuery(redirectUri, q));
    }

    // ------------------------------------------------------------------ EHR launcher

    void launcher(Request request, Response response, Callback callback, Http.Params q) {
        Sessions.Session session = sessions.ensure(request, response);
        Optional<UserAccount> user = session.signedIn() ? admin.user(session.username()).filter(u -> !u.locked())
                : Optional.empty();
        if (user.isEmpty()) {
            Http.redirect(request, response, callback, "/auth/login?next=/auth/launch");
            return;
        }
        List<RegisteredClient> apps = admin.listClients().stream().filter(c -> c.launchUrl() != null).toList();
        StringBuilder b = new StringBuilder();
        b.append("<p>Signed in as <strong>").append(esc(user.get().displayName())).append("</strong>. ")
                .append("<a href=\"/auth/logout\">Sign out</a></p>");
        if (apps.isEmpty()) {
            b.append("<p>No apps with a launch URL are registered.</p>");
            Html.send(response, callback, 200, "Launch an app", b.toString());
            return;
        }
        String patient = user.get().isPatient() ? user.get().fhirUserId() : q.get("patient");
        if (patient == null) {
            String query = q.get("q");
            b.append("<form method=\"get\" action=\"/auth/launch\" role=\"search\">")
                    .append("<label for=\"q\">Find a patient by name</label>")
                    .append("<input type=\"search\" id=\"q\" name=\"q\" value=\"").append(esc(query)).append("\">")
                    .append("<button type=\"submit\" class=\"secondary\" id=\"search\">Search</button></form>");
            List<PatientChoice> found = directory.findPatients(query == null ? "" : query, 50);
            b.append("<h2>Patients</h2><ul>");
            for (PatientChoice pc : found) {
                b.append("<li><a id=\"patient-").append(esc(pc.id())).append("\" href=\"/auth/launch?patient=")
                        .append(esc(Http.urlEncode(pc.id()))).append("\">").append(esc(pc.name())).append("</a>")
                        .append(pc.birthDate() == null ? "" : " born " + esc(pc.birthDate())).append("</li>");
            }
            b.append("</ul>");
            Html.send(response, callback, 200, "Launch an app", b.toString());
            return;
        }
        b.append("<form method=\"post\" action=\"/auth/launch\">").append(hidden("csrf", session.csrf()))
                .append(hidden("patient", patient))
                .append("<p class=\"context\">Patient: <strong>").append(esc(patient)).append("</strong></p>")
                .append("<label for=\"client\">App</label><select id=\"client\" name=\"client\">");
        for (RegisteredClient c : apps) {
            b.append("<option value=\"").append(esc(c.clientId())).append("\">").append(esc(c.name()))
                    .append("</option>");
        }
        b.append("</select><label for=\"encounter\">Encounter (optional)</label><select id=\"encounter\" name=\"encounter\">")
                .append("<option value=\"\">No encounter</option>");
        for (EncounterChoice e : directory.encountersOf(patient, 50)) {
            b.append("<option value=\"").append(esc(e.id())).append("\">").append(esc(e.description()))
                    .append("</option>");
        }
        b.append("</select><button type=\"submit\" class=\"primary\" id=\"launch\">Launch</button></form>")
                .append("<p><a href=\"/auth/launch\">Choose another patient</a></p>");
        Html.send(response, callback, 200, "Launch an app", b.toString());
    }

    void launch(Request request, Response response, Callback callback, Http.Params f, String baseUrl) {
        Optional<Sessions.Session> session = checkedSession(request, f);
        Optional<UserAccount> user = session.filter(Sessions.Session::signedIn)
                .flatMap(s -> admin.user(s.username())).filter(u -> !u.locked());
        if (user.isEmpty()) {
            Html.error(response, callback, 400, "Please sign in again; the form was not valid.");
            return;
        }
        String patient = f.get("patient");
        String encounter = f.get("encounter");
        if (patient == null || !ID.matcher(patient).matches() || !directory.exists("Patient/" + patient)
                || (user.get().isPatient() && !patient.equals(user.get().fhirUserId()))) {
            Html.error(response, callback, 400, "That patient cannot be chosen.");
            return;
        }
        if (encounter != null && directory.encountersOf(patient, 500).stream().noneMatch(e -> e.id().equals(encounter))) {
            Html.error(response, callback, 400, "That encounter cannot be chosen.");
            return;
        }
        List<FhirContextItem> ctx = encounter == null ? List.of()
                : List.of(FhirContextItem.reference("Encounter/" + encounter));
        EhrLaunch launch;
        try {
            launch = admin.createLaunch(baseUrl, f.get("client"), user.get().username(), patient, encounter, ctx);
        } catch (IllegalArgumentException e) {
            Html.error(response, callback, 400, e.getMessage());
            return;
        }
        Http.redirect(request, response, callback, launch.launchUrl());
    }

    // ------------------------------------------------------------------ sign-out and approvals

    void logoutPage(Request request, Response response, Callback callback) {
        Sessions.Session session = sessions.ensure(request, response);
        Html.send(response, callback, 200, "Sign out", "<form method=\"post\" action=\"/auth/logout\">"
                + hidden("csrf", session.csrf())
                + "<p>Sign out of Fhirbolt? Apps with online access lose it.</p>"
                + "<button type=\"submit\" class=\"primary\" id=\"sign-out\">Sign out</button></form>");
    }

    void logout(Request request, Response response, Callback callback, Http.Params f) {
        if (checkedSession(request, f).isEmpty()) {
            Html.error(response, callback, 400, "The form was not valid.");
            return;
        }
        sessions.signOut(request, response);
        Html.send(response, callback, 200, "Signed out", "<p>You are signed out.</p>");
    }

    void managePage(Request request, Response response, Callback callback) {
        Sessions.Session session = sessions.ensure(request, response);
        if (!session.signedIn()) {
            Http.redirect(request, response, callback, "/auth/login?next=/auth/manage");
            return;
        }
        List<Map<String, Object>> grants = tokens.grantsOf(session.username());
        StringBuilder b = new StringBuilder();
        if (grants.isEmpty()) {
            b.append("<p>You have not allowed any app to use your records.</p>");
        } else {
            b.append("<table><thead><tr><th scope=\"col\">App</th><th scope=\"col\">Allowed</th>")
                    .append("<th scope=\"col\">Since</th><th scope=\"col\"><span class=\"note\">Action</span></th></tr></thead><tbody>");
            for (Map<String, Object> g : grants) {
                String clientId = Json.str(g, "clientId");
                String name = admin.client(clientId).map(RegisteredClient::name).orElse(clientId);
                b.append("<tr><td>").append(esc(name)).append("</td><td>")
                        .append(esc(String.join(" ", Json.strings(g, "scopes")))).append("</td><td>")
                        .append(esc(String.valueOf(Json.instant(g, "created")))).append("</td><td>")
                        .append("<form method=\"post\" action=\"/auth/manage\">").append(hidden("csrf", session.csrf()))
                        .append(hidden("grant", Json.str(g, "grantId")))
                        .append("<button type=\"submit\" class=\"secondary\" aria-label=\"Revoke access of ")
                        .append(esc(name)).append("\">Revoke</button></form></td></tr>");
            }
            b.append("</tbody></table>");
        }
        Html.send(response, callback, 200, "Your app permissions", b.toString());
    }

    void manageRevoke(Request request, Response response, Callback callback, Http.Params f) {
        Optional<Sessions.Session> session = checkedSession(request, f).filter(Sessions.Session::signedIn);
        String grantId = f.get("grant");
        if (session.isEmpty() || grantId == null) {
            Html.error(response, callback, 400, "The form was not valid.");
            return;
        }
        boolean own = tokens.grantsOf(session.get().username()).stream()
                .anyMatch(g -> grantId.equals(Json.str(g, "grantId")));
        if (own) {
            tokens.revokeGrant(grantId);
            events.emit(AuthEvent.Action.TOKEN_REVOKED, true, null, session.get().username(),
                    "the user revoked an app approval on the manage page", request);
        }
        Http.redirect(request, response, callback, "/auth/manage");
    }

    Instant now() {
        return clock.instant();
    }

    AuthSettings settings() {
        return settings;
    }
}
