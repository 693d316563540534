package dev.fhirbolt.console;

/**
 * Routes the SMART administration and sandbox pages below {@code /console/admin/}: GETs show pages, POSTs (forms with
 * the session's CSRF token, checked here) change things through the admin API. Both need the admin role.
 */
final class SmartAdmin {

    private final FhirGateway gateway;
    private final AdminPages adminPages;
    private final ClientAdminPages clients = new ClientAdminPages();
    private final UserAdminPages users = new UserAdminPages();
    private final GrantPages grants = new GrantPages();
    private final SandboxPage sandbox = new SandboxPage();
    private final AuditPage audit;

    SmartAdmin(FhirGateway gateway, AdminPages adminPages, AuditTokens auditTokens) {
        this.gateway = gateway;
        this.adminPages = adminPages;
        this.audit = new AuditPage(gateway, auditTokens);
    }

    Rendered get(Visit v) {
        AdminCalls admin = new AdminCalls(gateway, v);
        if (!admin.hasRole()) {
            return adminPages.signInForm(v, null);
        }
        String[] p = v.path().substring("/admin/".length()).split("/", -1);
        try {
            return switch (p[0]) {
                case "clients" -> p.length == 2 && p[1].equals("new") ? clients.newForm(v)
                        : p.length == 2 ? clients.editForm(v, admin, p[1]) : notFound(v);
                case "users" -> p.length == 2 && p[1].equals("new") ? users.newForm(v)
                        : p.length == 2 ? users.show(v, admin, p[1]) : notFound(v);
                case "grants" -> p.length == 1 ? grants.grants(v, admin) : notFound(v);
                case "keys" -> p.length == 1 ? grants.keys(v, admin) : notFound(v);
                case "audit" -> p.length == 1 ? audit.show(v) : notFound(v);
                case "sandbox" -> p.length == 1 ? sandbox.show(v, admin) : notFound(v);
                default -> notFound(v);
            };
        } catch (AdminCalls.RoleLost e) {
            return lost(v);
        }
    }

    Rendered post(Visit v, Form f) {
        if (v.session() == null || !Secure.equal(v.session().csrf, f.get("csrf"))) {
            throw new ConsoleException(403, "The form has expired; open the page again and resend it.");
        }
        AdminCalls admin = new AdminCalls(gateway, v);
        if (!admin.hasRole()) {
            return adminPages.signInForm(v, "Sign in as admin first.");
        }
        String[] p = v.path().substring("/admin/".length()).split("/", -1);
        try {
            return switch (p[0]) {
                case "clients" -> p.length == 1 ? clients.register(v, admin, f)
                        : p.length == 2 ? clients.update(v, admin, p[1], f)
                        : p.length == 3 && p[2].equals("delete") ? clients.remove(admin, p[1]) : notFound(v);
                case "users" -> p.length == 1 ? users.create(v, admin, f)
                        : p.length == 3 ? users.act(v, admin, p[1], p[2], f) : notFound(v);
                case "grants" -> p.length == 3 && p[2].equals("revoke") ? grants.revoke(admin, p[1]) : notFound(v);
                case "keys" -> p.length == 2 && p[1].equals("rotate") ? grants.rotate(admin) : notFound(v);
                case "sandbox" -> p.length == 2 && p[1].equals("launch") ? sandbox.launch(v, admin, f) : notFound(v);
                default -> notFound(v);
            };
        } catch (AdminCalls.RoleLost e) {
            return lost(v);
        }
    }

    private Rendered lost(Visit v) {
        return adminPages.lost(v);
    }

    private static Rendered notFound(Visit v) {
        throw new ConsoleException(404, "The console has no page at /console" + v.path() + ".");
    }
}
