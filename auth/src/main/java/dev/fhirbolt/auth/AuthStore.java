package dev.fhirbolt.auth;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The auth state laid out on the storage SPI. Every value is a small JSON object; keys are UTF-8 strings
 * (secrets are stored by their SHA-256 fingerprint, never in the clear). Records with an {@code exp} field
 * (epoch milliseconds) are removed by {@link #purgeExpired(Instant)} once past it.
 *
 * <pre>
 * auth-clients      client id                  -> client (secret as fingerprint)
 * auth-users        user name                  -> user (Argon2id hash, failed sign-ins, lock)
 * auth-keys         kid                        -> signing key (private JWK), created, retired
 * auth-codes        fingerprint(code)          -> authorization code state
 * auth-flows        flow id                    -> authorization request in progress
 * auth-sessions     fingerprint(cookie)        -> browser session (user, CSRF token)
 * auth-grants       grant id                   -> one approval (client, user, revoked)
 * auth-user-grants  user 0 grant id            -> (empty) index of a user's approvals
 * auth-refresh      fingerprint(refresh token) -> refresh token state
 * auth-revoked      access token jti           -> revoked until exp
 * auth-jti          client 0 assertion jti     -> seen until exp (replay protection)
 * auth-launches     launch id                  -> EHR launch context
 * auth-meta         name                       -> value
 * </pre>
 */
final class AuthStore {

    static final Keyspace CLIENTS = new Keyspace("auth-clients");
    static final Keyspace USERS = new Keyspace("auth-users");
    static final Keyspace KEYS = new Keyspace("auth-keys");
    static final Keyspace CODES = new Keyspace("auth-codes");
    static final Keyspace FLOWS = new Keyspace("auth-flows");
    static final Keyspace SESSIONS = new Keyspace("auth-sessions");
    static final Keyspace GRANTS = new Keyspace("auth-grants");
    static final Keyspace USER_GRANTS = new Keyspace("auth-user-grants");
    static final Keyspace REFRESH = new Keyspace("auth-refresh");
    static final Keyspace REVOKED = new Keyspace("auth-revoked");
    static final Keyspace ASSERTIONS = new Keyspace("auth-jti");
    static final Keyspace LAUNCHES = new Keyspace("auth-launches");
    static final Keyspace META = new Keyspace("auth-meta");

    static final List<Keyspace> ALL = List.of(CLIENTS, USERS, KEYS, CODES, FLOWS, SESSIONS, GRANTS, USER_GRANTS,
            REFRESH, REVOKED, ASSERTIONS, LAUNCHES, META);
    private static final List<Keyspace> EXPIRING = List.of(CODES, FLOWS, SESSIONS, REFRESH, REVOKED, ASSERTIONS,
            LAUNCHES);

    private final KvStore kv;

    AuthStore(KvStore kv) {
        this.kv = kv;
    }

    static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    Optional<Map<String, Object>> get(Keyspace ks, String key) {
        return kv.get(ks, key(key)).map(Json::parse);
    }

    /** The record as stored, for {@link #replaceIf}. */
    Optional<byte[]> raw(Keyspace ks, String key) {
        return kv.get(ks, key(key));
    }

    /**
     * Replaces a record only if it still holds {@code read}, the bytes the caller read: with several nodes sharing the
     * state, another node may have changed it since. A caller on one node holds its own lock around read and replace,
     * which is enough when this store is the node's alone. Answers whether the record was replaced.
     */
    boolean replaceIf(Keyspace ks, String key, byte[] read, Map<String, ?> value) {
        KvBatch batch = new KvBatch().put(ks, key(key), Json.bytes(value));
        if (kv instanceof ConditionalKvStore shared) {
            return shared.writeIf(List.of(new KvPrecondition(ks, key(key), Optional.of(read))), batch);
        }
        kv.write(batch, true);
        return true;
    }

    /** Whether the key is there, without parsing its record. */
    boolean contains(Keyspace ks, String key) {
        return kv.get(ks, key(key)).isPresent();
    }

    void put(Keyspace ks, String key, Map<String, ?> value, boolean durable) {
        kv.write(new KvBatch().put(ks, key(key), Json.bytes(value)), durable);
    }

    void delete(Keyspace ks, String key, boolean durable) {
        kv.write(new KvBatch().delete(ks, key(key)), durable);
    }

    void write(KvBatch batch, boolean durable) {
        kv.write(batch, durable);
    }

    /** Every value of a keyspace, in key order. */
    List<Map<String, Object>> all(Keyspace ks) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (KvSnapshot snap = kv.snapshot(); KvCursor c = snap.cursor(ks)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                out.add(Json.parse(c.value()));
            }
        }
        return out;
    }

    /** Keys of a keyspace that start with the given prefix. */
    List<byte[]> keys(Keyspace ks, byte[] prefix) {
        List<byte[]> out = new ArrayList<>();
        try (KvSnapshot snap = kv.snapshot(); KvCursor c = snap.cursor(ks)) {
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                out.add(c.key());
            }
        }
        return out;
    }

    /** Deletes every record whose {@code exp} is before {@code now}; answers how many. */
    int purgeExpired(Instant now) {
        int n = 0;
        KvBatch batch = new KvBatch();
        try (KvSnapshot snap = kv.snapshot()) {
            for (Keyspace ks : EXPIRING) {
                try (KvCursor c = snap.cursor(ks)) {
                    for (c.seekToFirst(); c.isValid(); c.next()) {
                        long exp = Json.lng(Json.parse(c.value()), "exp", Long.MAX_VALUE);
                        if (exp < now.toEpochMilli()) {
                            batch.delete(ks, c.key());
                            n++;
                        }
                    }
                }
            }
        }
        if (!batch.isEmpty()) {
            kv.write(batch, false);
        }
        return n;
    }
}
