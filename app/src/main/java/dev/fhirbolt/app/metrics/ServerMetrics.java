package dev.fhirbolt.app.metrics;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.http.RequestObserver;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The server's meters in one Prometheus registry: FHIR requests, the commit pipeline, the storage engine, searches,
 * the authorization server and the JVM.
 */
public final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RequestMetrics requests = new RequestMetrics(registry);
    /** Held here because the meters reading it hold it weakly only. */
    private StorageMetrics storage;
    private ContentCacheMetrics contentCache;
    private dev.fhirbolt.terminology.UploadSweep uploadSweep;
    private final RequestHistory history = new RequestHistory(registry, java.time.Clock.systemUTC(), true);
    private final SubscriptionMetrics subscriptions = new SubscriptionMetrics(registry);

    public ServerMetrics(ResourceStore store) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        store.observeCommits(new CommitMetrics(registry, store));
    }

    /** Meters of the storage engine's own figures ({@code engine}: its name, e.g. rocksdb). */
    public void observeStorage(dev.fhirbolt.storage.KvStore kv, String engine) {
        storage = new StorageMetrics(registry, kv, engine);
    }

    /** Meters of a cluster node's content cache (held here: the meters hold it weakly). */
    public void observeContentCache(dev.fhirbolt.cluster.ContentCache cache) {
        contentCache = new ContentCacheMetrics(registry, cache);
    }

    /** Counters of the sweep of abandoned terminology uploads (held here: the meters hold it weakly). */
    public void observeUploadSweep(dev.fhirbolt.terminology.UploadSweep sweep) {
        uploadSweep = sweep;
        io.micrometer.core.instrument.FunctionCounter.builder("fhirbolt.terminology.swept.uploads", sweep,
                dev.fhirbolt.terminology.UploadSweep::sweptUploads)
                .description("abandoned $upload records swept: uploads").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("fhirbolt.terminology.swept.records", sweep,
                dev.fhirbolt.terminology.UploadSweep::sweptRecords)
                .description("abandoned $upload records swept: records").register(registry);
    }

    /** Meters of every search the engine answers. */
    public void observeSearches(dev.fhirbolt.search.SearchEngine search) {
        search.observe(new SearchMetrics(registry));
    }

    /** Meters of the authorization server's events. */
    public void observeAuth(dev.fhirbolt.auth.AuthServer auth) {
        auth.addListener(new AuthMetrics(registry));
    }

    /** What the FHIR HTTP handler reports each answered request to. */
    public RequestObserver requests() {
        return requests;
    }

    /** The last hour of requests, a sample a minute (the console's dashboard plots it). */
    public RequestHistory history() {
        return history;
    }

    /** What subscription delivery reports to. */
    public dev.fhirbolt.subscriptions.DeliveryObserver subscriptions() {
        return subscriptions;
    }

    /** Every meter in the Prometheus text exposition format (version 0.0.4). */
    String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        history.close();
        gc.close();
        registry.close();
    }
}
