package dev.fhirbolt.app;


import dev.fhirbolt.authz.audit.AuditStore;
import dev.fhirbolt.bulk.ExportJobStore;
import dev.fhirbolt.cluster.ClusterNode;
import dev.fhirbolt.cluster.NodeIncarnation;
import dev.fhirbolt.common.Health;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.IndexEntryFinder;
import dev.fhirbolt.search.reindex.ReindexService;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Storage and search opened from a data directory: the one place that knows the directory layout and every module's
 * keyspaces, shared by the server and the offline loader.
 */
final class Backend implements AutoCloseable {

    /** Audit events per log record: at most about 400 bytes each with their index keys, within a 1 MiB record. */
    private static final int AUDIT_EVENTS_PER_RECORD = 1_000;
    /** How long an audit batch the log cannot take is tried again: longer than a Kafka leader's failover. */
    private static final java.time.Duration AUDIT_PATIENCE = java.time.Duration.ofSeconds(30);

    private final KvStore kv;
    private final ResourceStore store;
    private final SearchEngine search;
    private final SearchIndexer indexer;
    private final ReindexService reindex;
    private AuditStore audit;
    /** Present when this server is a node of a cluster: the engines it shares and how it takes part. */
    private ClusterEngines engines;
    private ClusterNode cluster;
    private ClusterReindex clusterReindex;

    private Backend(KvStore kv, ResourceStore store, SearchEngine search, SearchIndexer indexer,
            ReindexService reindex, AuditStore audit) {
        this.kv = kv;
        this.store = store;
        this.search = search;
        this.indexer = indexer;
        this.reindex = reindex;
        this.audit = audit;
    }

    /** Every keyspace any module keeps in the store. */
    static List<Keyspace> keyspaces() {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(SearchEngine.keyspaces());
        keyspaces.addAll(ExportJobStore.keyspaces());
        keyspaces.addAll(dev.fhirbolt.auth.AuthServer.keyspaces());
        keyspaces.addAll(AuditStore.keyspaces());
        keyspaces.addAll(ClusterNode.keyspaces());
        keyspaces.addAll(ClusterReindex.keyspaces());
        keyspaces.addAll(dev.fhirbolt.subscriptions.SubscriptionService.keyspaces());
        keyspaces.addAll(dev.fhirbolt.terminology.ConceptStore.keyspaces());
        return keyspaces;
    }

    static Path databaseDir(ServerConfig config) {
        return config.dataDir().resolve("db");
    }

    /**
     * Opens the data directory, the server's way ({@link RocksDbEngine.Mode#SERVING}) or an offline load's; one
     * that a running server holds is a {@link DataDirLockedException}.
     */
    static Backend open(ServerConfig config, RocksDbEngine.Mode mode) {
        KvStore kv;
        try {
            kv = new RocksDbEngine(databaseDir(config), config.blockCacheBytes(), mode)
                    .withMinFreeBytes(config.minFreeDiskBytes()).open(keyspaces());
        } catch (RuntimeException e) {
            String msg = e.getMessage() + (e.getCause() == null ? "" : " " + e.getCause());
            if (msg.toLowerCase().contains("lock")) {
                throw new DataDirLockedException(config.dataDir() + " is in use by a running Fhirbolt server"
                        + (mode == RocksDbEngine.Mode.SERVING
                        ? " (its lock is held). Stop that server first, or start this one with another --data-dir"
                        : " (its lock is held). Stop the server first, or load over HTTP with --server URL"));
            }
            throw e;
        }
        ResourceStore store = new ResourceStore(kv, Clock.systemUTC(), new IndexEntryFinder(), new Health());
        ClusterEngines engines = null;
        if (config.cluster().isPresent() && mode == RocksDbEngine.Mode.SERVING) {
            try {
                engines = ClusterEngines.open(config.cluster().get());
            } catch (RuntimeException e) {
                store.close();
                kv.close();
                throw e;
            }
            // contents kept in the content store are read through the cache from the first read on (SearchParameters)
            engines.cache.ifPresent(store::readContentsFrom);
        }
        SearchParameterRegistry registry = new SearchParameterRegistry();
        CustomSearchParameters.load(store, registry);
        SearchIndexer indexer = new SearchIndexer(registry);
        ReindexService reindex = new ReindexService(store, indexer, Clock.systemUTC());
        CustomSearchParameters.follow(store, registry, reindex);
        SearchEngine search = new SearchEngine(store, registry, () -> !reindex.upgrading());
        Backend backend = new Backend(kv, store, search, indexer, reindex, new AuditStore(kv));
        backend.engines = engines;
        if (config.cluster().isPresent()) {
            try {
                backend.join(config.cluster().get(), mode);
            } catch (RuntimeException e) {
                backend.close();
                throw e;
            }
        }
        reindex.start();
        if (mode == RocksDbEngine.Mode.SERVING) {
            // before the server takes requests: on one server, the uploads stored now are from an earlier run
            ServerConfig.UploadSweep sweep = config.terminologyUploadSweep();
            backend.terminology().sweepUploads(sweep.grace(), sweep.interval(),
                    backend.cluster == null ? null : backend.cluster::catchUp);
        }
        return backend;
    }

    /** Makes this server a node of the cluster: applies the shared log and writes through it. */
    private void join(ClusterConfig config, RocksDbEngine.Mode mode) {
        if (mode != RocksDbEngine.Mode.SERVING) {
            throw new ConfigLoader.ConfigException("an offline load writes one node's data directory only; in a"
                    + " cluster, load over HTTP through any node (fhirbolt load --server URL)");
        }
        cluster = ClusterNode.join(engines.log, engines.contents, engines.cache, store, kv, StampableJson::ofEncoded,
                new LoggedClusterHealth(store.health()), new ClusterNode.Settings(config.nodeId(), config.applyTimeout(),
                        java.time.Duration.ofMinutes(30)));
        // shared by every node: each node's audit events and $reindex requests go through the log to all of them
        audit = AuditStore.shared(new RetryingAuditWrites(sharedKv(), AUDIT_PATIENCE),
                NodeIncarnation.next(cluster.replicated(kv)), AUDIT_EVENTS_PER_RECORD);
        clusterReindex = new ClusterReindex(sharedKv(), reindex);
    }

    /** The content store of this server's cluster, when it is a node of one that has one. */
    Optional<dev.fhirbolt.contentstore.ContentStore> contents() {
        return engines == null ? Optional.empty() : engines.contents;
    }

    /** The cache of resource contents kept in the cluster's content store, when this node keeps them there. */
    Optional<dev.fhirbolt.cluster.ContentCache> contentCache() {
        return engines == null ? Optional.empty() : engines.cache;
    }

    /** This server's part in a cluster, when it is one of its nodes. */
    Optional<ClusterNode> cluster() {
        return Optional.ofNullable(cluster);
    }

    /**
     * The store for state every node must share (the auth server's): in a cluster, writes to it go through the log;
     * on one server it is {@link #kv()}.
     */
    KvStore sharedKv() {
        return cluster == null ? kv : cluster.replicated(kv);
    }

    KvStore kv() {
        return kv;
    }

    ResourceStore store() {
        return store;
    }

    SearchEngine search() {
        return search;
    }

    /** The code systems, value sets and concept maps: the search engine's, so operations and :in agree. */
    dev.fhirbolt.terminology.TerminologyService terminology() {
        return search.terminology();
    }

    SearchIndexer indexer() {
        return indexer;
    }

    /** The audit log, where the audit trail writes and AuditEvent interactions read. */
    AuditStore audit() {
        return audit;
    }

    /** Background reindexing (after SearchParameter changes, on request, after an index format change). */
    ReindexService reindex() {
        return reindex;
    }

    /** Stops reindexing after its current step, finishes pending commits, then closes storage. */
    @Override
    public void close() {
        reindex.close();
        if (clusterReindex != null) {
            clusterReindex.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        search.terminology().close(); // finishes removing replaced uploads while the store is open
        store.close();
        if (engines != null) {
            engines.close();
        }
        kv.close();
    }

    /** The data directory is locked by another process. */
    static final class DataDirLockedException extends RuntimeException {
        DataDirLockedException(String message) {
            super(message);
        }
    }
}
