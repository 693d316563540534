package dev.fhirbolt.console;

import java.time.Clock;

/** Which page answers which console path (below {@code /console}). */
final class ConsolePages {

    private final Capabilities capabilities;
    private final DashboardPage dashboard;
    private final SearchPage search;
    private final ResourcePage resource = new ResourcePage();
    private final PatientPage patient = new PatientPage();
    private final RawPage raw = new RawPage();
    private final CapabilitiesPage capabilitiesPage = new CapabilitiesPage();

    private final AdminPages admin;
    private final SmartAdmin smartAdmin;

    ConsolePages(ServerStatus status, Clock clock, FhirGateway gateway, AuditTokens auditTokens) {
        this.admin = new AdminPages(gateway);
        this.smartAdmin = new SmartAdmin(gateway, admin, auditTokens);
        this.capabilities = new Capabilities(clock);
        this.dashboard = new DashboardPage(capabilities, new TypeCounts(clock), status);
        this.search = new SearchPage(capabilities);
    }

    Rendered route(Visit v) {
        String path = v.path();
        if (path.equals("/")) {
            return dashboard.show(v);
        }
        if (path.equals("/search")) {
            return search.types(v);
        }
        if (path.equals("/admin")) {
            return admin.show(v);
        }
        if (path.equals("/admin/sign-out")) {
            if (v.session() != null) {
                v.session().admin(null);
            }
            return Rendered.redirect("/console/");
        }
        if (path.startsWith("/admin/")) {
            return smartAdmin.get(v);
        }
        String[] parts = path.substring(1).split("/", -1);
        return switch (parts[0]) {
            case "search" -> parts.length == 2 ? search.search(v, parts[1]) : notFound(path);
            case "resource" -> resource(v, parts, 1, path);
            case "patient" -> parts.length == 2 ? patient.show(v, parts[1]) : notFound(path);
            case "fhir" -> fhir(v, parts, path);
            default -> notFound(path);
        };
    }

    /** A posted administration form: the admin sign-in, or one of {@link SmartAdmin}'s. */
    Rendered adminPost(Visit v, java.util.List<java.util.Map.Entry<String, String>> form) {
        if (v.path().equals("/admin/sign-in")) {
            return admin.signIn(v, Forms.first(form, "csrf"), Forms.first(form, "password"));
        }
        return smartAdmin.post(v, Form.of(form));
    }

    /** {@code /console/fhir/...}: a FHIR URL opened in the browser, shown by the page that fits it. */
    private Rendered fhir(Visit v, String[] parts, String path) {
        if (parts.length == 2 && ResourcePage.TYPE.matcher(parts[1]).matches()) {
            return search.search(v, parts[1]);
        }
        if ((parts.length == 3 || parts.length == 5) && ResourcePage.TYPE.matcher(parts[1]).matches()
                && ResourcePage.ID.matcher(parts[2]).matches() && (v.rawQuery() == null || v.rawQuery().isEmpty())) {
            return resource(v, parts, 1, path);
        }
        String fhirPath = path.substring("/fhir".length());
        if (fhirPath.isEmpty()) {
            fhirPath = "/metadata";
        }
        boolean metadata = fhirPath.equals("/metadata");
        if (metadata && (v.rawQuery() == null || v.rawQuery().isEmpty())) {
            return capabilitiesPage.show(v);
        }
        return raw.show(v, fhirPath, metadata ? "Capabilities" : fhirPath.substring(1), metadata ? "metadata" : "");
    }

    private Rendered resource(Visit v, String[] parts, int at, String path) {
        if (parts.length == at + 2) {
            return resource.show(v, parts[at], parts[at + 1], null);
        }
        if (parts.length == at + 4 && parts[at + 2].equals("_history")) {
            return resource.show(v, parts[at], parts[at + 1], parts[at + 3]);
        }
        return notFound(path);
    }

    private static Rendered notFound(String path) {
        throw new ConsoleException(404, "The console has no page at /console" + path + ".");
    }
}
