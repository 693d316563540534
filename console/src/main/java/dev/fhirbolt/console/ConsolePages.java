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
    private final ReferrersPage referrers;
    private final CapabilitiesPage capabilitiesPage;

    private final AdminPages admin;
    private final SmartAdmin smartAdmin;
    private final EditPage edit = new EditPage();
    private final DeletePage delete = new DeletePage();
    private final DiffPage diff = new DiffPage();
    private final TransactionPage transaction = new TransactionPage();

    private final Loads loads;
    private final Exports exports;
    private final DataPage data;

    /** @param stateDir where the lists of loads and exports are kept across restarts; null: in memory only */
    ConsolePages(ServerStatus status, Clock clock, FhirGateway gateway, AuditTokens auditTokens,
            java.nio.file.Path stateDir) {
        this.loads = new Loads(clock, new StateFile(stateDir == null ? null : stateDir.resolve("loads.json")));
        this.exports = new Exports(clock, new StateFile(stateDir == null ? null : stateDir.resolve("exports.json")));
        this.data = new DataPage(loads, exports);
        this.admin = new AdminPages(gateway);
        this.smartAdmin = new SmartAdmin(gateway, admin, auditTokens);
        this.capabilities = new Capabilities(clock);
        this.capabilitiesPage = new CapabilitiesPage(capabilities);
        TypeCounts counts = new TypeCounts(clock);
        this.dashboard = new DashboardPage(capabilities, counts, status, loads, exports, clock);
        this.search = new SearchPage(capabilities);
        this.referrers = new ReferrersPage(status, capabilities, counts);
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
                v.session().adminRole(false);
            }
            return Rendered.redirect("/console/");
        }
        if (path.startsWith("/admin/")) {
            return smartAdmin.get(v);
        }
        if (path.equals("/transaction")) {
            return transaction.show(v);
        }
        switch (path) {
            case "/data" -> {
                return data.show(v);
            }
            case "/data/load" -> {
                return data.loadStatus(v);
            }
            case "/data/export-file" -> {
                return data.exportFile(v);
            }
            default -> { }
        }
        String[] parts = path.substring(1).split("/", -1);
        return switch (parts[0]) {
            case "edit" -> parts.length == 2 || parts.length == 3
                    ? edit.show(v, parts[1], parts.length == 3 ? parts[2] : null) : notFound(path);
            case "delete" -> parts.length == 3 ? delete.confirm(v, parts[1], parts[2]) : notFound(path);
            case "diff" -> parts.length == 3 ? diff.show(v, parts[1], parts[2]) : notFound(path);
            case "search" -> parts.length == 2 ? search.search(v, parts[1]) : notFound(path);
            case "resource" -> resource(v, parts, 1, path);
            case "referrers" -> parts.length == 3 ? referrers.show(v, parts[1], parts[2]) : notFound(path);
            case "patient" -> parts.length == 2 ? patient.show(v, parts[1]) : notFound(path);
            case "fhir" -> fhir(v, parts, path);
            default -> notFound(path);
        };
    }

    /** Whether the console path takes a POST (a form or an upload; the page checks its CSRF token). */
    static boolean takesPost(String path) {
        return path.equals("/transaction") || path.startsWith("/edit/") || path.startsWith("/delete/")
                || path.equals("/data/upload") || path.equals("/data/export") || path.equals("/data/reindex")
                || path.equals("/data/demo");
    }

    /** A POST to one of the paths {@link #takesPost} accepts. */
    Rendered post(Visit v, Posted posted) {
        String path = v.path();
        switch (path) {
            case "/transaction" -> {
                return transaction.run(v, posted);
            }
            case "/data/upload" -> {
                return data.upload(v, posted);
            }
            case "/data/export" -> {
                return data.export(v, posted);
            }
            case "/data/reindex" -> {
                return data.reindex(v, posted);
            }
            case "/data/demo" -> {
                return data.demo(v, posted);
            }
            default -> { }
        }
        String[] parts = path.substring(1).split("/", -1);
        return switch (parts[0]) {
            case "edit" -> parts.length == 2 || parts.length == 3
                    ? edit.save(v, posted, parts[1], parts.length == 3 ? parts[2] : null) : notFound(path);
            case "delete" -> parts.length == 3 ? delete.delete(v, posted, parts[1], parts[2]) : notFound(path);
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
