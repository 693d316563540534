package dev.fhirbolt.console;

/**
 * The credentials the administration pages call the admin API with: the admin password's, once it was given on the
 * admin sign-in form, else the signed-in user's own access token when their account has the admin role (the auth
 * server honours the role on tokens issued to the console). Whether the user has the role is asked of the admin API
 * itself, once a session; a later refusal drops it again ({@link AdminCalls}).
 */
final class AdminRole {

    private AdminRole() {
    }

    /** The Authorization header value for the admin API, or null without the role. */
    static String authorization(FhirGateway gateway, Visit v) {
        Session s = v.session();
        if (s == null) {
            return null;
        }
        String password = s.adminAuthorization();
        if (password != null) {
            return password;
        }
        if (!s.isSignedIn()) {
            return null;
        }
        String bearer = v.fhir().authorization();
        if (bearer == null) {
            return null;
        }
        if (s.adminRole()) {
            return bearer;
        }
        FhirGateway.Reply probe = gateway.exchange(FhirGateway.Call.get("/auth/admin/keys", v.fhir().baseUrl(),
                bearer));
        if (probe.status() != 200) {
            return null;
        }
        s.adminRole(true);
        return bearer;
    }

    /** The signed-in user's name when they are signed in but have no admin role, else null. */
    static String userWithoutRole(Visit v) {
        Session s = v.session();
        if (s == null || !s.isSignedIn() || s.adminAuthorization() != null || s.adminRole()) {
            return null;
        }
        Session.User u = s.user();
        return u == null ? null : u.name();
    }
}
