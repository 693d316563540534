package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.ResourceIndexer;
import dev.fhirbolt.rest.http.BaseUrls;
import dev.fhirbolt.rest.http.FhirHttpHandler;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * TEST ONLY: the server's API over HTTP on a random port with a temp data dir, wired by {@link FhirApiAssembly} like
 * the real one but with the {@link IdentifierMatcher} so conditional references by identifier work before the search
 * engine lands.
 */
final class TxServer implements AutoCloseable {

    final KvStore kv;
    final ResourceStore store;
    final FhirApi api;
    final Server server;
    final String baseUrl;
    final ServerConfig config;

    private TxServer(ServerConfig config, KvStore kv, ResourceStore store, FhirApi api, Server server,
            String baseUrl) {
        this.config = config;
        this.kv = kv;
        this.store = store;
        this.api = api;
        this.server = server;
        this.baseUrl = baseUrl;
    }

    static ServerConfig config(Path dataDir, int maxEntries, long maxBytes) {
        return new ServerConfig("127.0.0.1", 0, dataDir, Optional.empty(), 256L * 1024 * 1024, 32L * 1024 * 1024,
                10, Optional.empty(), Optional.empty(), Optional.empty(), 50, 5000, java.time.Duration.ofHours(1), 2,
                maxEntries, maxBytes);
    }

    static TxServer start(Path dataDir) throws Exception {
        return start(config(dataDir, 50_000, 128L * 1024 * 1024));
    }

    static TxServer start(ServerConfig config) throws Exception {
        java.util.List<dev.fhirbolt.storage.Keyspace> keyspaces = new java.util.ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(dev.fhirbolt.bulk.ExportJobStore.keyspaces());
        KvStore kv = new RocksDbEngine(config.dataDir().resolve("db"), config.blockCacheBytes()).open(keyspaces);
        ResourceStore store = new ResourceStore(kv, Clock.systemUTC());
        FhirApi api = FhirApiAssembly.assemble(store, null, config, ResourceIndexer.NONE,
                new IdentifierMatcher(store));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new FhirHttpHandler(api, BaseUrls.resolver(Optional.empty()), config.maxBodyBytes()));
        server.start();
        return new TxServer(config, kv, store, api, server, "http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
        store.close();
        kv.close();
    }
}
