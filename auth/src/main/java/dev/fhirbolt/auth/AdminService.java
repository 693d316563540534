package dev.fhirbolt.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates, lists and deletes clients and users, rotates signing keys and creates EHR launch contexts. Used by
 * the admin HTTP API, dynamic registration and (later) the command line. Thread-safe.
 */
public final class AdminService {

    /** What a non-backend client may be granted when it registers no scopes. */
    public static final List<String> DEFAULT_USER_SCOPES = List.of("launch", "launch/patient", "launch/encounter",
            "openid", "fhirUser", "profile", "offline_access", "online_access", "patient/*.cruds", "user/*.cruds");
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final Pattern FHIR_USER = Pattern.compile("(Patient|Practitioner|RelatedPerson|Person)/[A-Za-z0-9.-]{1,64}");

    private final AuthStore store;
    private final Clock clock;
    private final AuthSettings settings;
    private final SigningKeys keys;
    private final Object lock = new Object();

    AdminService(AuthStore store, Clock clock, AuthSettings settings, SigningKeys keys) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.keys = keys;
    }

    // ---------------------------------------------------------------- clients

    /**
     * Registers a client after checking it: redirect URIs absolute without fragment, keys present for the
     * key-based types (public keys only), scopes understood (backend services: system/ only).
     *
     * @throws IllegalArgumentException with a message fit for the caller when the spec is not acceptable
     */
    public ClientRegistration registerClient(ClientSpec spec) {
        String clientId = spec.clientId() == null || spec.clientId().isBlank() ? Secrets.token(16) : spec.clientId();
        RegisteredClient client = validated(spec, clientId, clock.instant());
        String secret = spec.type() == ClientType.CONFIDENTIAL_SYMMETRIC ? Secrets.token(32) : null;
        synchronized (lock) {
            if (store.get(AuthStore.CLIENTS, clientId).isPresent()) {
                throw new IllegalArgumentException("a client with id " + clientId + " exists");
            }
            store.put(AuthStore.CLIENTS, clientId, toJson(client, secret == null ? null : Secrets.fingerprint(secret)),
                    true);
        }
        return new ClientRegistration(client, secret);
    }

    /**
     * Changes a registered client's name, redirect URIs, launch URL, scopes and keys; its id, type, secret and
     * creation time stay. Checked as at registration.
     *
     * @return the client as it is now, or empty when there is no such client
     */
    public Optional<RegisteredClient> updateClient(ClientSpec spec) {
        synchronized (lock) {
            Optional<Map<String, Object>> found = store.get(AuthStore.CLIENTS, spec.clientId());
            if (found.isEmpty()) {
                return Optional.empty();
            }
            RegisteredClient old = clientFromJson(found.get());
            RegisteredClient client = validated(new ClientSpec(old.clientId(), spec.name(), old.type(),
                    spec.redirectUris(), spec.launchUrl(), spec.scopes(), spec.jwks(), spec.jwksUri()), old.clientId(),
                    old.createdAt());
            store.put(AuthStore.CLIENTS, old.clientId(), toJson(client, Json.str(found.get(), "secretHash")), true);
            return Optional.of(client);
        }
    }

    private RegisteredClient validated(ClientSpec spec, String clientId, Instant createdAt) {
        if (spec.type() == null) {
            throw new IllegalArgumentException("a client needs a type");
        }
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("client ids are 1 to 128 letters, digits, '.', '_', '~' or '-'");
        }
        for (String uri : spec.redirectUris()) {
            checkUri(uri, "redirect URI");
        }
        if (spec.type() != ClientType.BACKEND_SERVICE && spec.redirectUris().isEmpty()) {
            throw new IllegalArgumentException("this client type needs at least one redirect URI");
        }
        if (spec.launchUrl() != null && !spec.launchUrl().isBlank()) {
            checkUri(spec.launchUrl(), "launch URL");
        }
        String jwks = blankToNull(spec.jwks());
        String jwksUri = blankToNull(spec.jwksUri());
        if (spec.type().usesKeys()) {
            if (jwks == null && jwksUri == null) {
                throw new IllegalArgumentException("a private_key_jwt client needs jwks or jwks_uri");
            }
            if (jwks != null) {
                try {
                    JWKSet set = JWKSet.parse(jwks);
                    if (set.getKeys().isEmpty()) {
                        throw new IllegalArgumentException("the JWKS holds no keys");
                    }
                    for (JWK k : set.getKeys()) {
                        if (k.isPrivate()) {
                            throw new IllegalArgumentException("the JWKS must hold public keys only");
                        }
                        if (k.getKeyID() == null) {
                            throw new IllegalArgumentException("every key of the JWKS needs a kid");
                        }
                    }
                    jwks = set.toString(true);
                } catch (ParseException e) {
                    throw new IllegalArgumentException("jwks is not a JWK set: " + e.getMessage());
                }
            }
            if (jwksUri != null) {
                checkUri(jwksUri, "jwks_uri");
                if (!jwksUri.startsWith("https://") && !jwksUri.startsWith("http://")) {
                    throw new IllegalArgumentException("jwks_uri must be an http(s) URL");
                }
            }
        } else if (jwks != null || jwksUri != null) {
            throw new IllegalArgumentException("only private_key_jwt clients register keys");
        }
        List<String> scopes = new ArrayList<>(spec.scopes());
        if (scopes.isEmpty()) {
            if (spec.type() == ClientType.BACKEND_SERVICE) {
                throw new IllegalArgumentException("a backend service client needs its system/ scopes");
            }
            scopes.addAll(DEFAULT_USER_SCOPES);
        }
        for (String s : scopes) {
            SmartScope scope = SmartScope.parse(s)
                    .orElseThrow(() -> new IllegalArgumentException("unknown scope: " + s));
            if (spec.type() == ClientType.BACKEND_SERVICE
                    && (!scope.isResourceScope() || scope.context() != SmartScope.Context.SYSTEM)) {
                throw new IllegalArgumentException("backend services get system/ scopes only, not " + s);
            }
        }
        String name = spec.name() == null || spec.name().isBlank() ? clientId : spec.name();
        return new RegisteredClient(clientId, name, spec.type(), spec.redirectUris(), blankToNull(spec.launchUrl()),
                scopes, jwks, jwksUri, createdAt);
    }

    public Optional<RegisteredClient> client(String clientId) {
        if (clientId == null) {
            return Optional.empty();
        }
        return store.get(AuthStore.CLIENTS, clientId).map(AdminService::clientFromJson);
    }

    /** Whether the client is registered (cheaper than {@link #client}: its record is not parsed). */
    public boolean clientExists(String clientId) {
        return clientId != null && store.contains(AuthStore.CLIENTS, clientId);
    }

    public List<RegisteredClient> listClients() {
        return store.all(AuthStore.CLIENTS).stream().map(AdminService::clientFromJson).toList();
    }

    /** Deletes a client; its tokens stop verifying because their client is gone. */
    public boolean deleteClient(String clientId) {
        synchronized (lock) {
            if (store.get(AuthStore.CLIENTS, clientId).isEmpty()) {
                return false;
            }
            store.delete(AuthStore.CLIENTS, clientId, true);
            return true;
        }
    }

    /** Checks a client secret in constant time against the stored fingerprint. */
    boolean checkSecret(String clientId, String secret) {
        Optional<Map<String, Object>> m = store.get(AuthStore.CLIENTS, clientId);
        return m.isPresent() && secret != null
                && Secrets.equal(Json.str(m.get(), "secretHash"), Secrets.fingerprint(secret));
    }

    private static Map<String, Object> toJson(RegisteredClient c, String secretHash) {
        Map<String, Object> m = Json.object();
        m.put("clientId", c.clientId());
        m.put("name", c.name());
        m.put("type", c.type().name());
        m.put("redirectUris", c.redirectUris());
        if (c.launchUrl() != null) {
            m.put("launchUrl", c.launchUrl());
        }
        m.put("scopes", c.scopes());
        if (c.jwks() != null) {
            m.put("jwks", c.jwks());
        }
        if (c.jwksUri() != null) {
            m.put("jwksUri", c.jwksUri());
        }
        m.put("createdAt", c.createdAt().toEpochMilli());
        if (secretHash != null) {
            m.put("secretHash", secretHash);
        }
        return m;
    }

    static RegisteredClient clientFromJson(Map<String, Object> m) {
        return new RegisteredClient(Json.str(m, "clientId"), Json.str(m, "name"),
                ClientType.valueOf(Json.str(m, "type")), Json.strings(m, "redirectUris"), Json.str(m, "launchUrl"),
                Json.strings(m, "scopes"), Json.str(m, "jwks"), Json.str(m, "jwksUri"), Json.instant(m, "createdAt"));
    }

    private static void checkUri(String uri, String what) {
        try {
            URI u = new URI(uri);
            if (!u.isAbsolute() || u.getFragment() != null) {
                throw new IllegalArgumentException(what + " must be absolute and without a fragment: " + uri);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URI: " + uri);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    // ---------------------------------------------------------------- users

    /**
     * Creates a user with an Argon2id password hash.
     *
     * @param fhirUser the FHIR resource the user is: {@code Patient/..}, {@code Practitioner/..},
     *                 {@code RelatedPerson/..} or {@code Person/..}
     */
    public UserAccount createUser(String username, String password, String fhirUser, String displayName) {
        return createUser(username, password, fhirUser, displayName, false);
    }

    /** Creates a user as {@link #createUser(String, String, String, String)}, with the admin role when asked. */
    public UserAccount createUser(String username, String password, String fhirUser, String displayName,
            boolean admin) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new IllegalArgumentException("user names are 1 to 128 letters, digits, '.', '_', '@' or '-'");
        }
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("passwords have at least 8 characters");
        }
        if (fhirUser == null || !FHIR_USER.matcher(fhirUser).matches()) {
            throw new IllegalArgumentException(
                    "fhirUser must be Patient/id, Practitioner/id, RelatedPerson/id or Person/id");
        }
        String hash = PasswordHasher.hash(password);
        UserAccount user = new UserAccount(username, displayName == null || displayName.isBlank() ? username
                : displayName, fhirUser, clock.instant(), null, false, admin);
        synchronized (lock) {
            if (store.get(AuthStore.USERS, username.toLowerCase(Locale.ROOT)).isPresent()) {
                throw new IllegalArgumentException("a user named " + username + " exists");
            }
            Map<String, Object> m = userJson(user);
            m.put("passwordHash", hash);
            store.put(AuthStore.USERS, username.toLowerCase(Locale.ROOT), m, true);
        }
        return user;
    }

    public Optional<UserAccount> user(String username) {
        if (username == null) {
            return Optional.empty();
        }
        return store.get(AuthStore.USERS, username.toLowerCase(Locale.ROOT)).map(AdminService::userFromJson);
    }

    public List<UserAccount> listUsers() {
        return store.all(AuthStore.USERS).stream().map(AdminService::userFromJson).toList();
    }

    public boolean deleteUser(String username) {
        synchronized (lock) {
            String key = username.toLowerCase(Locale.ROOT);
            if (store.get(AuthStore.USERS, key).isEmpty()) {
                return false;
            }
            store.delete(AuthStore.USERS, key, true);
            return true;
        }
    }

    /** Sets a new password and lifts any lock-out. */
    public boolean setPassword(String username, String password) {
        if (password == null || password.length() < 8) {
            throw new IllegalArgumentException("passwords have at least 8 characters");
        }
        String hash = PasswordHasher.hash(password);
        synchronized (lock) {
            String key = username.toLowerCase(Locale.ROOT);
            Optional<Map<String, Object>> m = store.get(AuthStore.USERS, key);
            if (m.isEmpty()) {
                return false;
            }
            Map<String, Object> u = m.get();
            u.put("passwordHash", hash);
            u.put("failed", 0);
            u.remove("lockedUntil");
            store.put(AuthStore.USERS, key, u, true);
            return true;
        }
    }

    /**
     * Locks an account until it is unlocked (not lifted by time or by a password reset): the user can no longer sign
     * in, and a sign-in session they have stops counting.
     *
     * @return false when there is no such user
     */
    public boolean lockUser(String username) {
        return changeUser(username, u -> u.put("locked", true));
    }

    /** Lifts an administrator's lock and any lock-out after failed sign-ins. */
    public boolean unlockUser(String username) {
        return changeUser(username, u -> {
            u.remove("locked");
            u.remove("lockedUntil");
            u.put("failed", 0);
        });
    }

    /**
     * Links the user to another FHIR resource and/or renames them (a null argument leaves that part as it is).
     *
     * @return false when there is no such user
     */
    public boolean updateUser(String username, String fhirUser, String displayName) {
        if (fhirUser != null && !FHIR_USER.matcher(fhirUser).matches()) {
            throw new IllegalArgumentException(
                    "fhirUser must be Patient/id, Practitioner/id, RelatedPerson/id or Person/id");
        }
        return changeUser(username, u -> {
            if (fhirUser != null) {
                u.put("fhirUser", fhirUser);
            }
            if (displayName != null && !displayName.isBlank()) {
                u.put("displayName", displayName);
            }
        });
    }

    /**
     * Gives or takes the admin role (a user with it may use the admin API with their console sign-in).
     *
     * @return false when there is no such user
     */
    public boolean setAdmin(String username, boolean admin) {
        return changeUser(username, u -> {
            if (admin) {
                u.put("admin", true);
            } else {
                u.remove("admin");
            }
        });
    }

    private boolean changeUser(String username, java.util.function.Consumer<Map<String, Object>> change) {
        if (username == null) {
            return false;
        }
        synchronized (lock) {
            String key = username.toLowerCase(Locale.ROOT);
            Optional<Map<String, Object>> m = store.get(AuthStore.USERS, key);
            if (m.isEmpty()) {
                return false;
            }
            change.accept(m.get());
            store.put(AuthStore.USERS, key, m.get(), true);
            return true;
        }
    }

    /** The outcome of a sign-in attempt. */
    enum LoginResult {
        OK, BAD_CREDENTIALS, LOCKED
    }

    /**
     * Checks a password. After {@code maxFailedLogins} failures in a row the account is locked for the lock-out
     * period; while locked, even the right password is refused.
     */
    LoginResult authenticate(String username, String password) {
        String key = username == null ? "" : username.toLowerCase(Locale.ROOT);
        Optional<Map<String, Object>> found = key.isEmpty() ? Optional.empty() : store.get(AuthStore.USERS, key);
        if (found.isEmpty()) {
            PasswordHasher.verifyDummy(password);
            return LoginResult.BAD_CREDENTIALS;
        }
        if (Json.bool(found.get(), "locked")) {
            PasswordHasher.verifyDummy(password);
            return LoginResult.LOCKED;
        }
        Instant now = clock.instant();
        Instant lockedUntil = Json.instant(found.get(), "lockedUntil");
        if (lockedUntil != null && now.isBefore(lockedUntil)) {
            return LoginResult.LOCKED;
        }
        boolean ok = PasswordHasher.verify(password, Json.str(found.get(), "passwordHash"));
        synchronized (lock) {
            Optional<Map<String, Object>> again = store.get(AuthStore.USERS, key);
            if (again.isEmpty()) {
                return LoginResult.BAD_CREDENTIALS;
            }
            Map<String, Object> u = again.get();
            if (ok) {
                if (Json.lng(u, "failed", 0) != 0 || u.containsKey("lockedUntil")) {
                    u.put("failed", 0);
                    u.remove("lockedUntil");
                    store.put(AuthStore.USERS, key, u, true);
                }
                return LoginResult.OK;
            }
            long failed = Json.lng(u, "failed", 0) + 1;
            if (lockedUntil != null) {
                failed = 1; // the previous lock has ended: start counting again
                u.remove("lockedUntil");
            }
            u.put("failed", failed);
            boolean lockNow = failed >= settings.maxFailedLogins();
            if (lockNow) {
                u.put("lockedUntil", now.plus(settings.lockout()).toEpochMilli());
                u.put("failed", 0);
            }
            store.put(AuthStore.USERS, key, u, true);
            return lockNow ? LoginResult.LOCKED : LoginResult.BAD_CREDENTIALS;
        }
    }

    private static Map<String, Object> userJson(UserAccount u) {
        Map<String, Object> m = Json.object();
        m.put("username", u.username());
        m.put("displayName", u.displayName());
        m.put("fhirUser", u.fhirUser());
        m.put("createdAt", u.createdAt().toEpochMilli());
        if (u.admin()) {
            m.put("admin", true);
        }
        return m;
    }

    static UserAccount userFromJson(Map<String, Object> m) {
        return new UserAccount(Json.str(m, "username"), Json.str(m, "displayName"), Json.str(m, "fhirUser"),
                Json.instant(m, "createdAt"), Json.instant(m, "lockedUntil"), Json.bool(m, "locked"),
                Json.bool(m, "admin"));
    }

    // ---------------------------------------------------------------- keys and launches

    /** Starts signing with a new key; the old one stays in the JWKS for the key-retention period. */
    public String rotateSigningKey() {
        return keys.rotate();
    }

    /** The signing keys, oldest first: the one that signs and those retired but still verifying (or due for removal). */
    public List<SigningKeyInfo> signingKeys() {
        return keys.describe();
    }

    /**
     * Creates an EHR launch context for a client (what the launcher page does after the user presses Launch).
     *
     * @param baseUrl  the FHIR base URL, sent to the app as {@code iss}
     * @param username the launching user, or null (then any signed-in user may complete the authorization)
     */
    public EhrLaunch createLaunch(String baseUrl, String clientId, String username, String patient, String encounter,
            List<FhirContextItem> fhirContext) {
        RegisteredClient client = client(clientId)
                .orElseThrow(() -> new IllegalArgumentException("unknown client " + clientId));
        if (client.launchUrl() == null) {
            throw new IllegalArgumentException("client " + clientId + " has no launch URL");
        }
        if (encounter != null && patient == null) {
            throw new IllegalArgumentException("an encounter context needs a patient");
        }
        String id = Secrets.token(24);
        Instant exp = clock.instant().plus(settings.launchLifetime());
        List<FhirContextItem> ctx = fhirContext == null ? List.of() : List.copyOf(fhirContext);
        Map<String, Object> m = Json.object();
        m.put("clientId", clientId);
        if (username != null) {
            m.put("username", username);
        }
        if (patient != null) {
            m.put("patient", patient);
        }
        if (encounter != null) {
            m.put("encounter", encounter);
        }
        m.put("fhirContext", Json.contextToJson(ctx));
        m.put("exp", exp.toEpochMilli());
        store.put(AuthStore.LAUNCHES, id, m, false);
        String url = client.launchUrl() + (client.launchUrl().contains("?") ? "&" : "?") + "iss="
                + Http.urlEncode(baseUrl) + "&launch=" + Http.urlEncode(id);
        return new EhrLaunch(id, clientId, username, patient, encounter, ctx, exp, url);
    }

    /** A launch context that has not expired. */
    Optional<EhrLaunch> launch(String launchId) {
        if (launchId == null || launchId.isBlank()) {
            return Optional.empty();
        }
        return store.get(AuthStore.LAUNCHES, launchId).flatMap(m -> {
            Instant exp = Json.instant(m, "exp");
            if (exp == null || !clock.instant().isBefore(exp)) {
                return Optional.empty();
            }
            return Optional.of(new EhrLaunch(launchId, Json.str(m, "clientId"), Json.str(m, "username"),
                    Json.str(m, "patient"), Json.str(m, "encounter"),
                    Json.contextFromJson(Json.objects(m, "fhirContext")), exp, null));
        });
    }

    Duration lockout() {
        return settings.lockout();
    }
}
