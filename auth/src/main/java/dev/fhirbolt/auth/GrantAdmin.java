package dev.fhirbolt.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The approvals in force (with their refresh tokens) for administrators, and their revocation: a revoked approval's
 * access tokens stop verifying and its refresh tokens stop working, as when a user revokes it on the manage page.
 */
public final class GrantAdmin {

    private final AuthStore store;
    private final Grants grants;
    private final Clock clock;

    GrantAdmin(AuthStore store, Grants grants, Clock clock) {
        this.store = store;
        this.grants = grants;
        this.clock = clock;
    }

    /**
     * The approvals not revoked and not expired, newest first.
     *
     * @param clientId only this app's, or null for all
     * @param username only this user's, or null for all
     */
    public List<GrantInfo> active(String clientId, String username) {
        long now = clock.millis();
        Map<String, long[]> refresh = new HashMap<>(); // grant id -> {count, latest expiry}
        for (Map<String, Object> r : store.all(AuthStore.REFRESH)) {
            long exp = Json.lng(r, "exp", 0);
            if (Json.bool(r, "used") || exp <= now) {
                continue;
            }
            String grantId = Json.str(Json.obj(r, "auth"), "grantId");
            if (grantId != null) {
                long[] c = refresh.computeIfAbsent(grantId, g -> new long[2]);
                c[0]++;
                c[1] = Math.max(c[1], exp);
            }
        }
        List<GrantInfo> out = new ArrayList<>();
        for (Map<String, Object> g : store.all(AuthStore.GRANTS)) {
            if (Json.bool(g, "revoked") || Json.lng(g, "exp", 0) <= now) {
                continue;
            }
            String client = Json.str(g, "clientId");
            String user = Json.str(g, "username");
            if (clientId != null && !clientId.equals(client) || username != null && !username.equalsIgnoreCase(
                    Objects.toString(user, ""))) {
                continue;
            }
            long[] r = refresh.getOrDefault(Json.str(g, "grantId"), new long[2]);
            out.add(new GrantInfo(Json.str(g, "grantId"), client, user, Json.strings(g, "scopes"),
                    Instant.ofEpochMilli(Json.lng(g, "created", 0)), Instant.ofEpochMilli(Json.lng(g, "exp", 0)),
                    (int) r[0], r[0] == 0 ? null : Instant.ofEpochMilli(r[1])));
        }
        out.sort((x, y) -> y.created().compareTo(x.created()));
        return out;
    }

    /** Revokes an approval in force; false when there is none with that id (or it is revoked already). */
    public boolean revoke(String grantId) {
        if (grantId == null || store.get(AuthStore.GRANTS, grantId).filter(g -> !Json.bool(g, "revoked")).isEmpty()) {
            return false;
        }
        grants.revoke(grantId);
        return true;
    }

    /** Revokes every approval of a user (when an administrator locks them); answers how many. */
    public int revokeAllOf(String username) {
        int n = 0;
        for (GrantInfo g : active(null, username)) {
            n += revoke(g.grantId()) ? 1 : 0;
        }
        return n;
    }
}
