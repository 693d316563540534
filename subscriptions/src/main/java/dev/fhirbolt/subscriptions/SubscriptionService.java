package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.Writes;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.subscriptions.DeliveryCursors.Cursor;
import dev.fhirbolt.subscriptions.SubscriptionSpec.ChannelType;
import dev.fhirbolt.subscriptions.SubscriptionSpec.Status;
import dev.fhirbolt.subscriptions.channel.RestHookChannel;
import dev.fhirbolt.subscriptions.channel.WebSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions on this node: the registry of active subscriptions (a worker each, indexed by resource type), kept in
 * step with the Subscription resources by the {@link ChangeDispatcher} that follows the change feed. Start it after
 * the store is open and before the server takes requests; close it before the store.
 */
public final class SubscriptionService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionService.class);

    private final ResourceStore store;
    private final SubscriptionReader reader;
    private final DeliveryCursors cursors;
    private final WebSocketChannel websocket = new WebSocketChannel();
    private final ChangeDispatcher dispatcher;
    private final WorkerContext ctx;
    private final Map<String, SubscriptionWorker> workers = new ConcurrentHashMap<>();
    private volatile Map<String, List<SubscriptionWorker>> byType = Map.of();

    public SubscriptionService(ResourceStore store, SearchEngine search, Writes writes, KvStore kv,
            Supplier<String> baseUrl, boolean secured, DeliveryObserver observer, SubscriptionSettings settings) {
        this.store = store;
        this.reader = new SubscriptionReader(search, secured ? Audience.NOTHING : Audience.EVERYTHING);
        this.cursors = new DeliveryCursors(kv);
        ChangeMatcher matcher = new ChangeMatcher(search);
        this.dispatcher = new ChangeDispatcher(store, matcher, store.lastT());
        this.ctx = new WorkerContext(store, cursors, matcher, new StatusWriter(store, writes),
                Map.of(ChannelType.REST_HOOK, new RestHookChannel(), ChannelType.WEBSOCKET, websocket), observer,
                dispatcher, baseUrl, settings);
        websocket.onBind(id -> Optional.ofNullable(workers.get(id)).ifPresent(SubscriptionWorker::wake));
    }

    public SubscriptionReader reader() {
        return reader;
    }

    public WebSocketChannel websocket() {
        return websocket;
    }

    /** Loads every Subscription, resumes each from its cursor, and starts following the change feed. */
    public void start() {
        long now = store.lastT();
        String after = null;
        while (true) {
            List<ResourceVersion> page = store.currentAfter("Subscription", after, 256);
            for (ResourceVersion v : page) {
                SubscriptionSpec spec = read(v);
                if (spec != null && spec.status() != Status.OFF) {
                    Cursor cursor = cursors.find(spec.id()).orElse(new Cursor(now, 0));
                    begin(spec, cursor, cursor.t() < now);
                }
                after = v.id();
            }
            if (page.size() < 256) {
                break;
            }
        }
        reindex();
        cursors.start();
        dispatcher.start(new ChangeDispatcher.Registry() {
            @Override
            public List<SubscriptionWorker> candidates(String type) {
                return byType.getOrDefault(type, List.of());
            }

            @Override
            public void subscriptionChanged(ResourceVersion version) {
                changed(version);
            }
        });
        store.addCommitListener(outcomes -> dispatcher.wake());
        LOG.info("Subscriptions: {} active, following the change feed from t={}", workers.size(), now);
    }

    /** The spec and events delivered so far of an active subscription ({@code $status}). */
    public Optional<Map.Entry<SubscriptionSpec, Long>> status(String id) {
        SubscriptionWorker w = workers.get(id);
        if (w != null) {
            return Optional.of(Map.entry(w.spec(), w.delivered()));
        }
        return store.readCurrent("Subscription", id).filter(v -> !v.deleted()).map(this::read)
                .map(spec -> Map.entry(spec, cursors.find(id).map(Cursor::events).orElse(0L)));
    }

    public int active() {
        return workers.size();
    }

    private void changed(ResourceVersion v) {
        SubscriptionWorker old = workers.get(v.id());
        SubscriptionSpec spec = v.deleted() ? null : read(v);
        if (spec == null || spec.status() == Status.OFF) {
            if (old != null) {
                old.stop();
                workers.remove(v.id());
                cursors.delete(v.id());
                reindex();
            }
            return;
        }
        if (old != null && old.spec().sameDelivery(spec)) {
            old.update(spec);
            return;
        }
        if (old != null) {
            old.stop();
        }
        long events = old == null ? 0 : old.delivered();
        Cursor cursor = new Cursor(v.t(), events);
        cursors.save(spec.id(), cursor);
        begin(spec, cursor, false);
        reindex();
    }

    private void begin(SubscriptionSpec spec, Cursor cursor, boolean lagging) {
        SubscriptionWorker w = new SubscriptionWorker(spec, cursor, lagging, ctx);
        workers.put(spec.id(), w);
        w.start();
    }

    private void reindex() {
        Map<String, List<SubscriptionWorker>> index = new java.util.HashMap<>();
        for (SubscriptionWorker w : workers.values()) {
            index.computeIfAbsent(w.spec().criteria().type(), k -> new ArrayList<>()).add(w);
        }
        index.replaceAll((k, list) -> List.copyOf(list));
        byType = Map.copyOf(index);
    }

    /** The stored Subscription as a spec; null (and status error with the reason) when it cannot be delivered. */
    private SubscriptionSpec read(ResourceVersion v) {
        Subscription s = (Subscription) ResourceReader.readStored(v.json());
        try {
            return reader.read(s, v.version());
        } catch (FhirException e) {
            if (s.getStatus() != Subscription.SubscriptionStatus.OFF) {
                LOG.info("Subscription/{} cannot be delivered: {}", v.id(), e.getMessage());
                ctx.status().set(v.id(), Status.ERROR, e.getMessage());
            }
            return null;
        }
    }

    @Override
    public void close() {
        dispatcher.close();
        workers.values().forEach(SubscriptionWorker::stop);
        workers.values().forEach(w -> w.join(2000));
        workers.clear();
        cursors.close();
    }
}
