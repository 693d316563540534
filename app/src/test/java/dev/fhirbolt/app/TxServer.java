package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.search.SearchMatcher;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The real server on a random port with a temp data dir and chosen bundle limits, for transaction tests. */
final class TxServer implements AutoCloseable {

    final FhirboltServer server;
    final ResourceStore store;
    final ResourceMatcher matcher;
    final String baseUrl;
    final ServerConfig config;

    private TxServer(FhirboltServer server) {
        this.server = server;
        this.store = server.store();
        this.matcher = new SearchMatcher(server.search());
        this.config = server.config();
        this.baseUrl = "http://127.0.0.1:" + server.port();
    }

    static ServerConfig config(Path dataDir, int maxEntries, long maxBytes) {
        return ConfigLoader.load(Optional.empty(), Map.of(), Map.ofEntries(Map.entry("host", "127.0.0.1"),
                Map.entry("port", "0"), Map.entry("data-dir", dataDir.toString()),
                Map.entry("max-body-bytes", Long.toString(256L * 1024 * 1024)), Map.entry("block-cache-mb", "32"),
                Map.entry("conditional-delete-max", "10"), Map.entry("bundle-max-entries",
                        Integer.toString(maxEntries)), Map.entry("bundle-max-bytes", Long.toString(maxBytes)),
                Map.entry("security", "off"), Map.entry("demo-setup", "false"), Map.entry("audit", "off")));
    }

    static TxServer start(Path dataDir) throws Exception {
        return start(config(dataDir, 50_000, 128L * 1024 * 1024));
    }

    static TxServer start(ServerConfig config) throws Exception {
        return new TxServer(FhirboltServer.start(config));
    }

    @Override
    public void close() {
        server.close();
    }
}
