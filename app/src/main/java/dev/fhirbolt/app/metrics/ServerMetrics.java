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

/** The server's meters in one Prometheus registry: FHIR requests, the commit pipeline and the JVM. */
public final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final RequestMetrics requests = new RequestMetrics(registry);
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

    /** What the FHIR HTTP handler reports each answered request to. */
    public RequestObserver requests() {
        return requests;
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
        gc.close();
        registry.close();
    }
}
