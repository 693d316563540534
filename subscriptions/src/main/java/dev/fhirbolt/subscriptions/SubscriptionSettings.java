package dev.fhirbolt.subscriptions;

import java.time.Duration;

/**
 * Delivery tuning: how many notifications wait per subscription before it falls back to reading the change feed
 * itself, and the retry backoff (doubling from {@code firstRetry} up to {@code maxRetry}).
 */
public record SubscriptionSettings(int queueCapacity, Duration firstRetry, Duration maxRetry) {

    public static final SubscriptionSettings DEFAULTS = new SubscriptionSettings(1024, Duration.ofSeconds(1),
            Duration.ofMinutes(5));
}
