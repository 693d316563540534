package dev.fhirbolt.app.metrics;

import dev.fhirbolt.subscriptions.DeliveryObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Subscription delivery: changes queued for subscribers, delivered, and failed delivery attempts. */
final class SubscriptionMetrics implements DeliveryObserver {

    private final Counter queued;
    private final Counter delivered;
    private final Counter failed;

    SubscriptionMetrics(MeterRegistry registry) {
        queued = Counter.builder("fhirbolt.subscription.queued")
                .description("Matching changes queued for a subscription's delivery").register(registry);
        delivered = Counter.builder("fhirbolt.subscription.delivered")
                .description("Matching changes delivered to subscribers").register(registry);
        failed = Counter.builder("fhirbolt.subscription.failed")
                .description("Delivery attempts that failed (each is retried with backoff)").register(registry);
    }

    @Override
    public void queued(int count) {
        queued.increment(count);
    }

    @Override
    public void delivered(int count) {
        delivered.increment(count);
    }

    @Override
    public void failed() {
        failed.increment();
    }
}
