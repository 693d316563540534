package dev.fhirbolt.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's RS256 signing keys, persisted in {@code auth-keys}. The newest unretired key signs; a rotated-out
 * key stays in the JWKS (and keeps verifying) for the retention period so that tokens it signed stay valid until
 * they expire.
 */
final class SigningKeys {

    record Entry(RSAKey key, Instant created, Instant retired) {
    }

    private final AuthStore store;
    private final Clock clock;
    private final Duration retention;
    private volatile List<Entry> entries;
    /** When {@link #entries} was read (System.nanoTime): other nodes of a cluster add and retire keys too. */
    private volatile long loadedAt;
    private static final long RELOAD_NANOS = Duration.ofSeconds(5).toNanos();
    /** How long a caller waits for the first key of a new data directory (made in about a second, at most a few). */
    private static final Duration FIRST_KEY_WAIT = Duration.ofSeconds(60);
    /**
     * The first key of a new data directory, made on a thread of its own: an RSA key costs about a second of CPU on a
     * cold JVM (prime search in interpreted BigInteger code), a third of a fresh server's start-up, so the server
     * starts it once it listens ({@link #prepareFirstKey}); whatever needs a key sooner starts it and waits for it.
     * Null until started; done at once when the store holds a current key.
     */
    private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Void>> firstKey =
            new java.util.concurrent.atomic.AtomicReference<>();

    SigningKeys(AuthStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        reload();
        if (entries.stream().anyMatch(e -> e.retired() == null)) {
            firstKey.set(CompletableFuture.completedFuture(null));
        }
    }

    /** Starts making the first signing key in the background, unless it exists or is being made. */
    void prepareFirstKey() {
        firstKeyFuture();
    }

    private CompletableFuture<Void> firstKeyFuture() {
        CompletableFuture<Void> f = firstKey.get();
        if (f != null) {
            return f;
        }
        CompletableFuture<Void> made = new CompletableFuture<>();
        if (firstKey.compareAndSet(null, made)) {
            Thread.ofPlatform().daemon(true).name("fhirbolt-first-signing-key").start(() -> {
                try {
                    rotate();
                    made.complete(null);
                } catch (Throwable e) {
                    made.completeExceptionally(e);
                }
            });
        }
        return firstKey.get();
    }

    /**
     * Waits (a bounded time) for the first key's generation to end, made or failed: it writes to the store, which
     * the caller is about to close, and a write into a closed store would take the process down.
     */
    void close() {
        CompletableFuture<Void> f = firstKey.get();
        if (f == null) {
            return;
        }
        try {
            f.get(FIRST_KEY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // nothing more to wait for, or nothing that waiting longer would change
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the first signing key exists; fails with the cause when it could not be made. */
    private void awaitFirstKey() {
        CompletableFuture<Void> f = firstKeyFuture();
        if (f.isDone() && !f.isCompletedExceptionally()) {
            return;
        }
        try {
            f.get(FIRST_KEY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the server's first signing key could not be made: " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the server's first signing key is not made yet", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the first signing key", e);
        }
    }

    private synchronized void reload() {
        List<Entry> list = new ArrayList<>();
        for (Map<String, Object> m : store.all(AuthStore.KEYS)) {
            try {
                list.add(new Entry(RSAKey.parse(Json.str(m, "jwk")), Json.instant(m, "created"),
                        Json.instant(m, "retired")));
            } catch (ParseException e) {
                throw new IllegalStateException("unreadable signing key in auth-keys", e);
            }
        }
        list.sort(Comparator.comparing(Entry::created));
        entries = List.copyOf(list);
        loadedAt = System.nanoTime();
    }

    /** The keys, read again when the copy in memory is a few seconds old (a few records: cheap). */
    private List<Entry> entries() {
        awaitFirstKey();
        if (System.nanoTime() - loadedAt > RELOAD_NANOS) {
            reload();
        }
        return entries;
    }

    /** Generates a new signing key and retires the current one; answers the new key id. */
    synchronized String rotate() {
        Instant now = clock.instant();
        RSAKey key;
        try {
            key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
        for (Entry e : entries) {
            if (e.retired() == null) {
                store.put(AuthStore.KEYS, e.key().getKeyID(), record(e.key(), e.created(), now), true);
            } else if (e.retired().plus(retention).isBefore(now)) {
                store.delete(AuthStore.KEYS, e.key().getKeyID(), true);
            }
        }
        store.put(AuthStore.KEYS, key.getKeyID(), record(key, now, null), true);
        reload();
        return key.getKeyID();
    }

    private static Map<String, Object> record(RSAKey key, Instant created, Instant retired) {
        Map<String, Object> m = Json.object();
        m.put("kid", key.getKeyID());
        m.put("jwk", key.toJSONString());
        m.put("created", created.toEpochMilli());
        if (retired != null) {
            m.put("retired", retired.toEpochMilli());
        }
        return m;
    }

    Optional<RSAKey> current() {
        return entries().stream().filter(e -> e.retired() == null).reduce((a, b) -> b).map(Entry::key);
    }

    RSAKey signingKey() {
        return current().orElseThrow(() -> new IllegalStateException("no signing key"));
    }

    /** A key that may verify: current, or retired within the retention period. */
    Optional<RSAKey> verificationKey(String kid) {
        Instant now = clock.instant();
        if (entries().stream().noneMatch(e -> e.key().getKeyID().equals(kid)) && store.contains(AuthStore.KEYS, kid)) {
            reload(); // made by another node of the cluster since the last reload
        }
        return entries.stream().filter(e -> e.key().getKeyID().equals(kid))
                .filter(e -> e.retired() == null || e.retired().plus(retention).isAfter(now))
                .map(Entry::key).findFirst();
    }

    List<SigningKeyInfo> describe() {
        Instant now = clock.instant();
        return entries().stream().map(e -> new SigningKeyInfo(e.key().getKeyID(), e.created(), e.retired(),
                e.retired() == null, e.retired() == null || e.retired().plus(retention).isAfter(now))).toList();
    }

    /** The public JWKS: bare public keys, current and still-retained ones. */
    JWKSet publicJwks() {
        Instant now = clock.instant();
        List<JWK> keys = new ArrayList<>();
        for (Entry e : entries()) {
            if (e.retired() == null || e.retired().plus(retention).isAfter(now)) {
                keys.add(e.key().toPublicJWK());
            }
        }
        return new JWKSet(keys);
    }
}
