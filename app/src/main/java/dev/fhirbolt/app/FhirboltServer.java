package dev.fhirbolt.app;

import dev.fhirbolt.app.metrics.MetricsHandler;
import dev.fhirbolt.app.metrics.ServerMetrics;
import dev.fhirbolt.auth.AuthServer;
import dev.fhirbolt.auth.AuthSettings;
import dev.fhirbolt.authz.AuthorizationFilter;
import dev.fhirbolt.authz.CorsPolicy;
import dev.fhirbolt.authz.SecurityCapabilities;
import dev.fhirbolt.authz.SecurityHandler;
import dev.fhirbolt.authz.SecurityMode;
import dev.fhirbolt.authz.audit.AuditRetention;
import dev.fhirbolt.authz.audit.AuditTrail;
import dev.fhirbolt.authz.audit.AuthAudit;
import dev.fhirbolt.rest.Writes;
import dev.fhirbolt.bulk.ExportService;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.util.List;
import dev.fhirbolt.rest.http.BaseUrls;
import dev.fhirbolt.rest.http.FhirHttpHandler;
import dev.fhirbolt.rest.http.OperationOutcomeErrorHandler;
import java.time.Clock;
import java.util.function.Function;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.gzip.GzipHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: opens storage, assembles the modules and runs the HTTP server until closed. */
public final class FhirboltServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FhirboltServer.class);

    private final ServerConfig config;
    private final Backend backend;
    private final ExportService exports;
    private final Server server;
    private final HealthHandler health;
    private final ServerConnector httpConnector;
    private final AuthServer auth;
    private final AuditTrail audit;
    private final AuditRetention auditRetention;
    private final ServerMetrics metrics;
    private Subscriptions subscriptions;
    private boolean closed;

    private FhirboltServer(ServerConfig config, Backend backend, ExportService exports, Server server,
            HealthHandler health, ServerConnector httpConnector, AuthServer auth, AuditTrail audit,
            AuditRetention auditRetention, ServerMetrics metrics) {
        this.metrics = metrics;
        this.auth = auth;
        this.audit = audit;
        this.auditRetention = auditRetention;
        this.config = config;
        this.backend = backend;
        this.exports = exports;
        this.server = server;
        this.health = health;
        this.httpConnector = httpConnector;
    }

    public static FhirboltServer start(ServerConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    /** Starts with the given clock for the auth server's expiry decisions (tests). */
    static FhirboltServer start(ServerConfig config, Clock authClock) throws Exception {
        long started = System.nanoTime();
        Thread warmUp = WarmUp.begin(); // `fhirbolt serve` began it before parsing its command line
        // the HTTP plumbing needs nothing below, so it is built while the warm-up scans the FHIR model
        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName("fhirbolt-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(config.httpLimits().maxHeaderBytes());
        http.setIdleTimeout(config.httpLimits().idleTimeoutMillis());
        http.addCustomizer(new ForwardedRequestCustomizer());
        server.setErrorHandler(new OperationOutcomeErrorHandler(config.httpLimits().maxHeaderBytes()));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        StartupChecks.keystore(config);
        ServerConnector httpsConnector = config.httpsPort().isPresent() ? httpsConnector(server, http, config) : null;
        if (httpsConnector != null) {
            server.addConnector(httpsConnector);
        }
        for (var c : server.getConnectors()) {
            ServerConnector limited = (ServerConnector) c;
            limited.setIdleTimeout(config.httpLimits().idleTimeoutMillis());
            limited.addBean(new HeaderDeadline(config.httpLimits().headerTimeoutMillis(), limited.getScheduler()));
        }
        NewDataDir dataDir = NewDataDir.remember(config.dataDir());
        StartupChecks.bind(connector, "--port");
        List<Runnable> undo = new java.util.ArrayList<>();
        undo.add(() -> closeQuietly(connector::close));
        try {
            if (httpsConnector != null) {
                StartupChecks.bind(httpsConnector, "--https-port");
                undo.add(() -> closeQuietly(httpsConnector::close));
            }
            return start(config, authClock, started, warmUp, server, http, connector, undo);
        } catch (Exception | Error e) {
            for (int i = undo.size() - 1; i >= 0; i--) {
                undo.get(i).run();
            }
            dataDir.discardIfNew();
            throw e;
        }
    }

    private static void closeQuietly(Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.debug("while undoing a failed start", e);
        }
    }

    private static FhirboltServer start(ServerConfig config, Clock authClock, long started, Thread warmUp,
            Server server, HttpConfiguration http, ServerConnector connector, List<Runnable> undo) throws Exception {
        Backend backend = Backend.open(config, RocksDbEngine.Mode.SERVING);
        undo.add(backend::close);
        ResourceStore store = backend.store();
        Function<Request, String> baseUrl = BaseUrls.resolver(config.baseUrl());
        ExportService exports = ExportWiring.open(backend, config);
        undo.add(exports::close);
        Writes writes = new Writes(backend.indexer()::index);
        SearchEngine search = backend.search();
        AuthSettings.Builder authSettings = AuthSettings.builder().baseUrl(baseUrl)
                .demoSetup(config.demoSetup()).accessTokenLifetime(config.accessTokenLifetime());
        config.adminPassword().ifPresent(authSettings::adminPassword);
        // a console user with the admin role uses the admin API with their own (console) token
        authSettings.adminRoleClients(java.util.Set.of(dev.fhirbolt.console.ConsoleSettings.CLIENT_ID));
        AuthServer auth = new AuthServer(authSettings.build(), backend.sharedKv(), authClock,
                new SearchPatientDirectory(search, store));
        undo.add(auth::close);
        if (config.demoSetup()) {
            int created = DemoResources.ensure(store, writes, auth.settings().demoPatientIds(),
                    auth.settings().demoPractitionerId());
            if (created > 0) {
                LOG.warn("Demo set-up: created {} demo FHIR resources (Patient/{}, Patient/{}, Practitioner/{});"
                        + " never use demo-setup for real data", created, auth.settings().demoPatientIds().get(0),
                        auth.settings().demoPatientIds().get(1), auth.settings().demoPractitionerId());
            }
        } else if (config.security() == SecurityMode.SMART && config.adminPassword().isEmpty()) {
            LOG.info("No admin password and no demo set-up: set admin-password to register users and apps, or start"
                    + " with --demo to try Fhirbolt with demo users and patients (never for real data)");
        }
        AuditTrail audit = config.audit() ? new AuditTrail(backend.audit(),
                config.baseUrl().orElse("fhirbolt"), config.auditLogFile().orElse(null), store.health()) : null;
        if (audit != null) {
            undo.add(audit::close);
            auth.addListener(new AuthAudit(audit));
        }
        AuditRetention auditRetention = config.auditRetention()
                .map(keep -> new AuditRetention(backend.audit(), keep, Clock.systemUTC())).orElse(null);
        if (auditRetention != null) {
            undo.add(auditRetention::close);
        }
        boolean secured = config.security() == SecurityMode.SMART;
        ServerMetrics metrics = new ServerMetrics(store);
        metrics.history().keepIn(config.dataDir().resolve("console").resolve("request-history.json"));
        metrics.observeStorage(backend.kv(), "rocksdb");
        backend.contentCache().ifPresent(metrics::observeContentCache);
        metrics.observeSearches(search);
        backend.terminology().uploadSweep().ifPresent(metrics::observeUploadSweep);
        metrics.observeAuth(auth);
        dev.fhirbolt.rest.InteractionFilter filter = secured ? new AuthorizationFilter(search, store)
                : dev.fhirbolt.rest.InteractionFilter.NONE;
        if (backend.cluster().isPresent()) {
            filter = new ReadConsistencyFilter(backend.cluster().get(),
                    config.cluster().orElseThrow().readConsistency() == ClusterConfig.ReadConsistency.STRONG)
                    .then(filter);
        }
        Subscriptions subscriptions = Subscriptions.start(config, backend, writes, metrics, connector);
        undo.add(subscriptions::close);
        FhirApi api = FhirApiAssembly.assemble(backend, exports, config, filter.then(subscriptions.gate()),
                List.of(new SecurityCapabilities(config.security(), auth::securityInfo),
                        subscriptions.capabilities()), subscriptions.operations());
        if (!secured) {
            LOG.warn("**************************************************************************************");
            LOG.warn("* SECURITY IS OFF (security=off, development mode): the FHIR API needs no token and  *");
            LOG.warn("* enforces no scopes. Anyone who can reach this port can read and change everything. *");
            LOG.warn("**************************************************************************************");
        } else {
            LOG.info("SMART on FHIR security on: bearer tokens required, scopes enforced (user/ scope policy {})",
                    config.userScopePolicy().name().toLowerCase(java.util.Locale.ROOT));
        }
        CorsPolicy cors = secured ? CorsPolicy.registeredClients(auth.admin(),
                new java.util.HashSet<>(config.corsOrigins()), Clock.systemUTC()) : CorsPolicy.anyOrigin();
        SecurityHandler security = new SecurityHandler(config.security(), auth.tokenVerifier(), baseUrl,
                config.userScopePolicy(), cors, audit, Clock.systemUTC(),
                new FhirHttpHandler(api, baseUrl, config.maxBodyBytes(),
                        config.httpLimits().minBodyBytesPerSecond(), metrics.requests()));

        // the console reaches the FHIR and auth APIs through this in-memory connector, with its user's token
        org.eclipse.jetty.server.LocalConnector local = new org.eclipse.jetty.server.LocalConnector(server,
                new HttpConnectionFactory(http));
        server.addConnector(local);
        dev.fhirbolt.console.LocalGateway gateway = new dev.fhirbolt.console.LocalGateway(local);
        ConsoleAuditAccess auditAccess = secured ? new ConsoleAuditAccess(gateway) : null;
        dev.fhirbolt.console.Console console = new dev.fhirbolt.console.Console(
                dev.fhirbolt.console.ConsoleSettings.of(secured).withStateDir(config.dataDir().resolve("console")),
                baseUrl, gateway,
                new ConsoleStatus(config, auth.admin(), metrics.history(), search.registry()),
                auditAccess != null ? auditAccess : dev.fhirbolt.console.AuditTokens.NONE);

        HealthHandler health = new HealthHandler(backend.cluster().isPresent() ? "rocksdb+kafka"
                : "rocksdb", store.health(), backend.cluster());
        GzipHandler gzip = new GzipHandler();
        gzip.setMinGzipSize(1024);
        gzip.setInflateBufferSize(8192); // request bodies sent with Content-Encoding: gzip are decoded
        gzip.setSyncFlush(true); // a flushed part of a response (the console's page head) reaches the browser at once
        gzip.setIncludedMethods("GET", "POST", "PUT", "PATCH", "DELETE");
        gzip.setHandler(new Handler.Sequence(health, subscriptions.websocketHandler(server),
                new MetricsHandler(metrics, secured ? auth::isAdmin : request -> true),
                new dev.fhirbolt.app.backup.BackupHandler(backend.kv(), store::visibleT, config.backupDir(),
                        BuildVersion.version(), secured ? auth::isAdmin : request -> true,
                        config.dataDir().resolve(dev.fhirbolt.app.backup.Backups.CONSOLE)),
                new dev.fhirbolt.app.packages.PackageAdminHandler(new dev.fhirbolt.app.packages.PackageInstaller(api,
                        store), secured ? auth::isAdmin : request -> true, config.maxBodyBytes()),
                console.handler(), auth.handler(), security));
        GracefulHandler graceful = new GracefulHandler(new UnreadBodyGuard(gzip));
        server.setHandler(graceful);
        server.setStopTimeout(config.shutdownGraceMillis());
        if (config.accessLog()) {
            server.setRequestLog(new AccessLog());
        }
        warmUp.join();
        undo.add(() -> closeQuietly(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }));
        server.start();
        auth.prepare();
        WarmUp.modelInBackground();

        if (secured) {
            ConsoleClient.register(auth.admin(), config.baseUrl(), config.host(), connector.getLocalPort(),
                    config.httpsPort());
            auditAccess.register(auth.admin());
        }
        FhirboltServer fhirbolt = new FhirboltServer(config, backend, exports, server, health, connector, auth,
                audit, auditRetention, metrics);
        fhirbolt.subscriptions = subscriptions;
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Fhirbolt listening on http://{}:{}{}{}; data in {} (rocksdb); started in {} ms",
                config.host(), fhirbolt.port(),
                config.httpsPort().map(p -> " and https port " + p).orElse(""),
                config.baseUrl().map(u -> " as " + u).orElse(""), config.dataDir(), millis);
        return fhirbolt;
    }

    private static ServerConnector httpsConnector(Server server, HttpConfiguration http, ServerConfig config) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(config.keystore().orElseThrow(() -> new ConfigLoader.ConfigException(
                "https-port needs a keystore (PKCS12 file holding the certificate and key)")).toString());
        config.keystorePassword().ifPresent(ssl::setKeyStorePassword);
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(config.host());
        connector.setPort(config.httpsPort().get());
        return connector;
    }

    /** The port the HTTP connector listens on (useful when configured as 0). */
    public int port() {
        return httpConnector.getLocalPort();
    }

    public ResourceStore store() {
        return backend.store();
    }

    public dev.fhirbolt.search.SearchEngine search() {
        return backend.search();
    }

    /** The SMART authorization server (admin API, token verifier). */
    public AuthServer auth() {
        return auth;
    }

    /** The audit trail, or null when audit=off. */
    public AuditTrail audit() {
        return audit;
    }

    /** Whether this server delivers subscription notifications now (in a cluster: holds the delivery lease). */
    boolean deliversSubscriptions() {
        return subscriptions.delivering();
    }

    public ServerConfig config() {
        return config;
    }

    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops taking requests, lets in-flight ones finish, then flushes and closes storage. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        health.markStopping();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
        exports.close();
        if (subscriptions != null) {
            subscriptions.close();
        }
        if (auditRetention != null) {
            auditRetention.close();
        }
        if (audit != null) {
            audit.close();
        }
        auth.close();
        backend.close();
        metrics.close();
        LOG.info("Fhirbolt stopped in {} ms; storage flushed and closed", (System.nanoTime() - started) / 1_000_000);
    }
}
