package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.subscriptions.channel.Channel;
import java.util.Map;
import java.util.function.Supplier;

/** What every {@link SubscriptionWorker} shares. */
record WorkerContext(ResourceStore store, DeliveryCursors cursors, ChangeMatcher matcher, StatusWriter status,
        Map<SubscriptionSpec.ChannelType, Channel> channels, DeliveryObserver observer, ChangeDispatcher dispatcher,
        Supplier<String> baseUrl, SubscriptionSettings settings) {
}
