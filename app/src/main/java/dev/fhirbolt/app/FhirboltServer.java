package dev.fhirbolt.app;

import dev.fhirbolt.bulk.ExportJobStore;
import dev.fhirbolt.bulk.ExportService;
import dev.fhirbolt.bulk.ExportSettings;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.reindex.ReindexService;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.http.BaseUrls;
import dev.fhirbolt.rest.http.FhirHttpHandler;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    private final KvStore kv;
    private final ResourceStore store;
    private final ExportService exports;
    private final ReindexService reindex;
    private final Server server;
    private final HealthHandler health;
    private final ServerConnector httpConnector;
    private boolean closed;

    private FhirboltServer(ServerConfig config, KvStore kv, ResourceStore store, ExportService exports,
            ReindexService reindex, Server server, HealthHandler health, ServerConnector httpConnector) {
        this.config = config;
        this.kv = kv;
        this.store = store;
        this.exports = exports;
        this.reindex = reindex;
        this.server = server;
        this.health = health;
        this.httpConnector = httpConnector;
    }

    public static FhirboltServer start(ServerConfig config) throws Exception {
        long started = System.nanoTime();
        Thread warmUp = Thread.ofPlatform().name("fhirbolt-warm-up").start(FhirboltServer::warmUpFhirModel);
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(SearchEngine.keyspaces());
        keyspaces.addAll(ExportJobStore.keyspaces());
        KvStore kv = new RocksDbEngine(config.dataDir().resolve("db"), config.blockCacheBytes()).open(keyspaces);
        ResourceStore store = new ResourceStore(kv, Clock.systemUTC());
        Function<Request, String> baseUrl = BaseUrls.resolver(config.baseUrl());
        SearchParameterRegistry registry = new SearchParameterRegistry();
        CustomSearchParameters.load(store, registry);
        SearchIndexer indexer = new SearchIndexer(registry);
        ReindexService reindex = new ReindexService(store, indexer, Clock.systemUTC());
        CustomSearchParameters.follow(store, registry, reindex);
        reindex.start();
        SearchEngine search = new SearchEngine(store, registry);
        ExportService exports = new ExportService(store, new ExportJobStore(kv), ExportSources.from(search),
                new ExportSettings(config.dataDir().resolve("exports"), config.exportRetention(),
                        config.exportsPerClient(), 1, false), Clock.systemUTC());
        FhirApi api = FhirApiAssembly.assemble(store, search, indexer, reindex, exports, config);

        QueuedThreadPool threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName("fhirbolt-http");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.addCustomizer(new ForwardedRequestCustomizer());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        if (config.httpsPort().isPresent()) {
            server.addConnector(httpsConnector(server, http, config));
        }
        HealthHandler health = new HealthHandler("rocksdb");
        GzipHandler gzip = new GzipHandler();
        gzip.setMinGzipSize(1024);
        gzip.setIncludedMethods("GET", "POST", "PUT", "PATCH", "DELETE");
        gzip.setHandler(new Handler.Sequence(health,
                new FhirHttpHandler(api, baseUrl, config.maxBodyBytes())));
        GracefulHandler graceful = new GracefulHandler(gzip);
        server.setHandler(graceful);
        server.setStopTimeout(config.shutdownGraceMillis());
        warmUp.join();
        server.start();

        FhirboltServer fhirbolt = new FhirboltServer(config, kv, store, exports, reindex, server, health,
                connector);
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.info("Fhirbolt listening on http://{}:{}{}{}; data in {} (rocksdb); started in {} ms",
                config.host(), fhirbolt.port(),
                config.httpsPort().map(p -> " and https port " + p).orElse(""),
                config.baseUrl().map(u -> " as " + u).orElse(""), config.dataDir(), millis);
        return fhirbolt;
    }

    /** Builds HAPI's model metadata while storage opens, so the first request is not the slow one. */
    private static void warmUpFhirModel() {
        var resource = dev.fhirbolt.fhir.ResourceReader.read(
                "{\"resourceType\":\"Patient\",\"active\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                dev.fhirbolt.fhir.FhirFormat.JSON);
        dev.fhirbolt.fhir.ResourceWriter.render(resource, new dev.fhirbolt.fhir.RenderOptions(
                dev.fhirbolt.fhir.FhirFormat.XML, false, dev.fhirbolt.fhir.SummaryMode.FALSE, java.util.Optional.empty()));
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
        return store;
    }

    public ReindexService reindex() {
        return reindex;
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
        reindex.close();
        store.close();
        kv.close();
        LOG.info("Fhirbolt stopped in {} ms; storage flushed and closed", (System.nanoTime() - started) / 1_000_000);
    }
}
