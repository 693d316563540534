package dev.fhirbolt.auth;

import dev.fhirbolt.storage.Bytes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Grants: the approvals behind tokens. A grant is recorded with its authorization code and lives as long as its
 * refresh tokens may; revoking it ends every access and refresh token issued under it. Checking a token asks
 * whether its grant is revoked, so grants found in force are remembered for a moment.
 */
final class Grants {

    /**
     * How long a grant found in force is believed without reading it again, so that a revocation made on another node
     * of a cluster takes effect here within that time.
     */
    private static final long ACTIVE_FOR_NANOS = Duration.ofMillis(500).toNanos();

    private final AuthStore store;
    private final Clock clock;
    private final AuthSettings settings;
    /** Grants found in force, with when (System.nanoTime); only {@link #revoke} revokes, and it removes them here. */
    private final Map<String, Long> active = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    Grants(AuthStore store, Clock clock, AuthSettings settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
    }

    /** The record of a new grant for {@code a}, to be written with its authorization code. */
    Map<String, Object> record(Authorization a, Instant now) {
        Map<String, Object> g = Json.object();
        g.put("grantId", a.grantId());
        g.put("clientId", a.clientId());
        if (a.username() != null) {
            g.put("username", a.username());
        }
        g.put("scopes", a.scopes());
        g.put("created", now.toEpochMilli());
        boolean refresh = a.has(TokenService.OFFLINE) || a.has(TokenService.ONLINE);
        Duration life = refresh ? settings.offlineRefreshLifetime() : settings.accessTokenLifetime();
        g.put("exp", now.plus(life).plus(settings.accessTokenLifetime()).toEpochMilli());
        return g;
    }

    void revoke(String grantId) {
        if (grantId == null) {
            return;
        }
        Optional<Map<String, Object>> g = store.get(AuthStore.GRANTS, grantId);
        Map<String, Object> m = g.orElseGet(Json::object);
        m.put("grantId", grantId);
        m.put("revoked", true);
        if (!m.containsKey("exp")) {
            m.put("exp", clock.instant().plus(settings.offlineRefreshLifetime()).toEpochMilli());
        }
        synchronized (lock) {
            store.put(AuthStore.GRANTS, grantId, m, true);
            active.remove(grantId);
        }
    }

    /** True when the grant was revoked or is unknown (expired and purged). */
    boolean isRevoked(String grantId) {
        if (grantId == null) {
            return false;
        }
        Long checked = active.get(grantId);
        if (checked != null && System.nanoTime() - checked < ACTIVE_FOR_NANOS) {
            return false;
        }
        // read again under the lock revocation takes, so a grant revoked meanwhile is never remembered as active
        synchronized (lock) {
            Optional<Map<String, Object>> g = store.get(AuthStore.GRANTS, grantId);
            boolean revoked = g.isEmpty() || Json.bool(g.get(), "revoked");
            if (!revoked) {
                if (active.size() >= VerifiedTokens.MAX_ENTRIES) {
                    active.clear();
                }
                active.put(grantId, System.nanoTime());
            }
            return revoked;
        }
    }

    /** The approvals of a user that are still in force, newest first. */
    List<Map<String, Object>> of(String username) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (byte[] k : store.keys(AuthStore.USER_GRANTS, Bytes.key(username))) {
            int from = Bytes.key(username).length;
            String grantId = new String(k, from, k.length - from - 1, StandardCharsets.UTF_8); // drop the separator
            store.get(AuthStore.GRANTS, grantId).filter(g -> !Json.bool(g, "revoked"))
                    .filter(g -> Json.lng(g, "exp", 0) > clock.instant().toEpochMilli()).ifPresent(out::add);
        }
        out.sort((x, y) -> Long.compare(Json.lng(y, "created", 0), Json.lng(x, "created", 0)));
        return out;
    }
}
