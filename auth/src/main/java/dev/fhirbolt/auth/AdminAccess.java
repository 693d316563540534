package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/**
 * Who may use the admin API: the holder of the admin password or admin token, as always (scripts, the CLI), or a user
 * with the admin role presenting an access token of theirs that was issued to one of the clients trusted with the
 * role ({@link AuthSettings#adminRoleClients()}, the console). The user's account is read at every request, so taking
 * the role away or locking the account ends it at once; a token issued to any other app never carries the role.
 */
final class AdminAccess {

    /** The answer for one request. */
    enum Decision {
        /** The admin credentials, or a user with the admin role. */
        ALLOWED,
        /** A valid user token, but its user has no admin role (or the token's app is not trusted with it): 403. */
        FORBIDDEN,
        /** No credentials the admin API knows: 401. */
        UNAUTHENTICATED
    }

    private final AuthSettings settings;
    private final AdminService admin;
    private final TokenVerifier tokens;

    AdminAccess(AuthSettings settings, AdminService admin, TokenVerifier tokens) {
        this.settings = settings;
        this.admin = admin;
        this.tokens = tokens;
    }

    Decision decide(Request request, String baseUrl) {
        if (AdminApi.isAdmin(settings, request)) {
            return Decision.ALLOWED;
        }
        String bearer = Http.bearer(request);
        if (bearer == null) {
            return Decision.UNAUTHENTICATED;
        }
        Optional<AccessGrant> grant = tokens.verify(bearer, baseUrl);
        if (grant.isEmpty()) {
            return Decision.UNAUTHENTICATED;
        }
        if (!settings.adminRoleClients().contains(grant.get().clientId())) {
            return Decision.FORBIDDEN;
        }
        return admin.user(grant.get().subject()).filter(u -> hasRole(u, Instant.now())).isPresent()
                ? Decision.ALLOWED : Decision.FORBIDDEN;
    }

    private static boolean hasRole(UserAccount u, Instant now) {
        return u.admin() && !u.locked() && (u.lockedUntil() == null || !now.isBefore(u.lockedUntil()));
    }
}
