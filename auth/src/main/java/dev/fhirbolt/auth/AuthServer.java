package dev.fhirbolt.auth;

import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMART on FHIR authorization server: wire it in with
 *
 * <pre>{@code
 * KvStore kv = engine.open(union(ResourceStore.keyspaces(), AuthServer.keyspaces()));
 * AuthServer auth = new AuthServer(AuthSettings.builder().baseUrl(baseUrl)
 *         .adminPassword(pw).build(), kv, Clock.systemUTC(), patientDirectory);
 * server.setHandler(new Handler.Sequence(auth.handler(), fhirHandler));
 * ... auth.tokenVerifier().verify(bearer, baseUrlOfRequest) ...
 * auth.close();   // before closing the store
 * }</pre>
 *
 * The store stays the caller's: {@link #close()} stops the background clean-up but does not close it.
 */
public final class AuthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuthServer.class);
    static final String DEMO_META = "demo-setup-done";

    /** Demo credentials (only created when {@link AuthSettings#demoSetup()} is on). */
    public static final String DEMO_PRACTITIONER = "practitioner";
    public static final String DEMO_PRACTITIONER_PASSWORD = "practitioner-demo";
    public static final String DEMO_PATIENT_1 = "patient1";
    public static final String DEMO_PATIENT_1_PASSWORD = "patient1-demo";
    public static final String DEMO_PATIENT_2 = "patient2";
    public static final String DEMO_PATIENT_2_PASSWORD = "patient2-demo";
    public static final String DEMO_CLIENT_ID = "demo-app";

    private final AuthSettings settings;
    private final AuthStore store;
    private final Clock clock;
    private final AdminService admin;
    private final AccessTokenVerifier accessTokens;
    private final GrantAdmin grantAdmin;
    private final AuthHandler handler;
    private final SigningKeys keys;
    private final ScheduledExecutorService cleaner;
    private final AuthEvents events;

    /**
     * @param settings  configuration
     * @param kv        a store opened with (at least) {@link #keyspaces()}
     * @param clock     the time source for every expiry decision
     * @param directory what the patient and encounter pickers show
     */
    public AuthServer(AuthSettings settings, KvStore kv, Clock clock, PatientDirectory directory) {
        this.settings = settings;
        this.store = new AuthStore(kv);
        this.clock = clock;
        this.events = new AuthEvents(clock);
        this.keys = new SigningKeys(store, clock, settings.keyRetention());
        this.admin = new AdminService(store, clock, settings, keys);
        Sessions sessions = new Sessions(store, clock, settings.sessionLifetime());
        Grants grants = new Grants(store, clock, settings);
        this.accessTokens = new AccessTokenVerifier(store, clock, keys, admin, grants);
        this.grantAdmin = new GrantAdmin(store, grants, clock);
        TokenService tokens = new TokenService(store, clock, settings, keys, admin, sessions, grants, accessTokens);
        Introspection introspection = new Introspection(store, clock, accessTokens, grants, sessions);
        ClientAuthenticator clients = new ClientAuthenticator(admin, store, clock);
        BrowserPages pages = BrowserPages.create(store, clock, admin, sessions, tokens, grants, directory, events);
        this.handler = new AuthHandler(settings, admin, tokens, introspection, new AdminAccess(settings, admin,
                accessTokens), grantAdmin, clients, keys, pages, events);
        if (settings.demoSetup()) {
            demoSetup();
        }
        this.cleaner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fhirbolt-auth-cleaner");
            t.setDaemon(true);
            return t;
        });
        cleaner.scheduleWithFixedDelay(this::purge, 10, 10, TimeUnit.MINUTES);
    }

    /** The keyspaces the store must be opened with. */
    public static List<Keyspace> keyspaces() {
        return AuthStore.ALL;
    }

    /** The Jetty handler; put it before the FHIR handler in a {@code Handler.Sequence}. */
    public Handler handler() {
        return handler;
    }

    /** Registers a listener for sign-ins, consents, tokens issued, refreshed and revoked, and failures. */
    public void addListener(AuthEventListener listener) {
        events.add(listener);
    }

    public TokenVerifier tokenVerifier() {
        return accessTokens;
    }

    public AdminService admin() {
        return admin;
    }

    /** The approvals in force, and their revocation (what the admin API's {@code /grants} does). */
    public GrantAdmin grants() {
        return grantAdmin;
    }

    /** Whether the request carries the admin credentials (HTTP Basic or the admin token), as the admin API asks. */
    public boolean isAdmin(org.eclipse.jetty.server.Request request) {
        return AdminApi.isAdmin(settings, request);
    }

    public AuthSettings settings() {
        return settings;
    }

    /** The SMART bits of the CapabilityStatement for a FHIR base URL. */
    public SmartSecurityInfo securityInfo(String baseUrl) {
        String b = AuthSettings.trimSlash(baseUrl);
        return new SmartSecurityInfo(List.of("SMART-on-FHIR"), b + "/auth/authorize", b + "/auth/token",
                b + "/auth/register", b + "/auth/manage", b + "/auth/introspect", b + "/auth/revoke",
                "OAuth 2 with SMART App Launch 2.2; see " + b + "/.well-known/smart-configuration");
    }

    /** The SMART bits of the CapabilityStatement for the base URL of a request. */
    public SmartSecurityInfo securityInfo(Request request) {
        return securityInfo(settings.baseUrlOf(request));
    }

    /** The SMART configuration document as plain data (what {@code /.well-known/smart-configuration} serves). */
    public Map<String, Object> smartConfiguration(String baseUrl) {
        return handler.smartConfiguration(AuthSettings.trimSlash(baseUrl));
    }

    /** Removes expired codes, flows, sessions, refresh tokens and revocation entries now. */
    public int purge() {
        try {
            return store.purgeExpired(clock.instant());
        } catch (RuntimeException e) {
            LOG.warn("auth clean-up failed", e);
            return 0;
        }
    }

    private void demoSetup() {
        if (store.get(AuthStore.META, DEMO_META).isPresent()) {
            return;
        }
        String p1 = settings.demoPatientIds().get(0);
        String p2 = settings.demoPatientIds().get(1);
        // Argon2 makes every password hash slow on purpose; hashing the three at once keeps the first start short
        List<Runnable> users = List.of(
                () -> createIfAbsent(DEMO_PRACTITIONER, DEMO_PRACTITIONER_PASSWORD,
                        "Practitioner/" + settings.demoPractitionerId(), "Dr. Demo Practitioner"),
                () -> createIfAbsent(DEMO_PATIENT_1, DEMO_PATIENT_1_PASSWORD, "Patient/" + p1, "Demo Patient One"),
                () -> createIfAbsent(DEMO_PATIENT_2, DEMO_PATIENT_2_PASSWORD, "Patient/" + p2, "Demo Patient Two"));
        users.parallelStream().forEach(Runnable::run);
        if (admin.client(DEMO_CLIENT_ID).isEmpty()) {
            admin.registerClient(new ClientSpec(DEMO_CLIENT_ID, "Fhirbolt demo app", ClientType.PUBLIC,
                    settings.demoRedirectUris(), settings.demoLaunchUrl(), AdminService.DEFAULT_USER_SCOPES, null,
                    null));
        }
        Map<String, Object> m = Json.object();
        m.put("at", clock.millis());
        store.put(AuthStore.META, DEMO_META, m, true);
        LOG.warn("Demo set-up created (turn it off in production). Users: {}/{} (Practitioner/{}), {}/{} (Patient/{}),"
                + " {}/{} (Patient/{}). Public client '{}' with redirect URIs {}.", DEMO_PRACTITIONER,
                DEMO_PRACTITIONER_PASSWORD, settings.demoPractitionerId(), DEMO_PATIENT_1, DEMO_PATIENT_1_PASSWORD, p1,
                DEMO_PATIENT_2, DEMO_PATIENT_2_PASSWORD, p2, DEMO_CLIENT_ID, settings.demoRedirectUris());
    }

    private void createIfAbsent(String user, String password, String fhirUser, String name) {
        if (admin.user(user).isEmpty()) {
            admin.createUser(user, password, fhirUser, name);
        }
    }

    /**
     * Starts the work a new data directory needs before the first token (its first signing key) in the background;
     * the server calls it once it listens, so that the work does not lengthen its start-up.
     */
    public void prepare() {
        keys.prepareFirstKey();
    }

    @Override
    public void close() {
        cleaner.shutdownNow();
        keys.close();
    }

    /** The key id that signs new tokens. */
    public String currentKeyId() {
        return keys.signingKey().getKeyID();
    }
}
