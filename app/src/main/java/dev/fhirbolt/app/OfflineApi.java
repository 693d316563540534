package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.ResourceIndexer;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The FHIR API straight on a data directory, without HTTP: what {@code fhirbolt load --data-dir} uses while the
 * server is stopped. Opens storage the way {@link FhirboltServer} does (same directory and keyspaces; keep them in
 * step) and wires the same interactions, without the bulk export operations.
 */
public final class OfflineApi implements AutoCloseable {

    private final KvStore kv;
    private final ResourceStore store;
    private final FhirApi api;

    private OfflineApi(KvStore kv, ResourceStore store, FhirApi api) {
        this.kv = kv;
        this.store = store;
        this.api = api;
    }

    /** Opens the data directory; a directory in use by a running server is a {@link DataDirLockedException}. */
    public static OfflineApi open(ServerConfig config) {
        return open(config, null);
    }

    /** As {@link #open(ServerConfig)}, with a matcher of the caller's (tests); null means the server's own. */
    public static OfflineApi open(ServerConfig config, Function<ResourceStore, ResourceMatcher> matcher) {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(dev.fhirbolt.bulk.ExportJobStore.keyspaces());
        KvStore kv;
        try {
            kv = new RocksDbEngine(config.dataDir().resolve("db"), config.blockCacheBytes()).open(keyspaces);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()) + (e.getCause() == null ? "" : " " + e.getCause());
            if (msg.contains("LOCK") || msg.toLowerCase().contains("lock")) {
                throw new DataDirLockedException(config.dataDir() + " is in use by a running Fhirbolt server"
                        + " (its lock is held). Stop the server first, or load over HTTP with --server URL");
            }
            throw e;
        }
        ResourceStore store = new ResourceStore(kv, Clock.systemUTC());
        // no export operations offline: nothing but the loader talks to this API
        FhirApi api = matcher == null
                ? FhirApiAssembly.assemble(store, null, config)
                : FhirApiAssembly.assemble(store, null, config, ResourceIndexer.NONE, matcher.apply(store));
        return new OfflineApi(kv, store, api);
    }

    public FhirApi api() {
        return api;
    }

    public ResourceStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
        kv.close();
    }

    /** The data directory is locked by another process. */
    public static final class DataDirLockedException extends RuntimeException {
        public DataDirLockedException(String message) {
            super(message);
        }
    }
}
