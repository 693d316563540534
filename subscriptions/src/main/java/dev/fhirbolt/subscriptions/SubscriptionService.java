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
    private final RestHookChannel restHook = new RestHookChannel();
    private final ChangeMatcher matcher;
    private final StatusWriter statusWriter;
    private final DeliveryObserver observer;
    private final Supplier<String> baseUrl;
    private final SubscriptionSettings settings;
    private final Channels channels;
    private final Map<String, SubscriptionWorker> workers = new ConcurrentHashMap<>();
    private volatile SubscriptionIndex index = SubscriptionIndex.EMPTY;
    private final RecentCommits recent = new RecentCommits();
    /** While this node delivers: the dispatcher following the feed and what the workers share; null otherwise. */
    private volatile ChangeDispatcher dispatcher;
    private WorkerContext ctx;
    private boolean listening;

    public SubscriptionService(ResourceStore store, SearchEngine search, Writes writes, KvStore kv,
            Supplier<String> baseUrl, boolean secured, DeliveryObserver observer, SubscriptionSettings settings) {
        this(store, search, writes, kv, baseUrl, secured, observer, settings, Channels.ALL);
    }

    /** Which subscriptions a service delivers, by channel. */
    public enum Channels {
        ALL, WEBSOCKET_ONLY, ALL_BUT_WEBSOCKET;

        boolean covers(SubscriptionSpec spec) {
            return switch (this) {
                case ALL -> true;
                case WEBSOCKET_ONLY -> spec.channel() == ChannelType.WEBSOCKET;
                case ALL_BUT_WEBSOCKET -> spec.channel() != ChannelType.WEBSOCKET;
            };
        }
    }

    /**
     * A service delivering only the subscriptions of {@code channels}: in a cluster the delivery lease's holder
     * delivers all but websocket ones, and every node its own websocket clients' (each from its own applied log).
     */
    public SubscriptionService(ResourceStore store, SearchEngine search, Writes writes, KvStore kv,
            Supplier<String> baseUrl, boolean secured, DeliveryObserver observer, SubscriptionSettings settings,
            Channels channels) {
        this.channels = channels;
        this.store = store;
        this.reader = new SubscriptionReader(search, secured ? Audience.NOTHING : Audience.EVERYTHING);
        this.cursors = new DeliveryCursors(kv);
        this.matcher = new ChangeMatcher(search);
        this.statusWriter = new StatusWriter(store, writes);
        this.observer = observer;
        this.baseUrl = baseUrl;
        this.settings = settings;
        websocket.onBind(id -> Optional.ofNullable(workers.get(id)).ifPresent(SubscriptionWorker::wake));
    }

    /** The keyspaces subscriptions keep in the store: the cursors and the delivery lease. */
    public static List<dev.fhirbolt.storage.Keyspace> keyspaces() {
        return List.of(DeliveryCursors.CURSORS, DeliveryLease.LEASES, EventLog.EVENTS);
    }

    public SubscriptionReader reader() {
        return reader;
    }

    public WebSocketChannel websocket() {
        return websocket;
    }

    /**
     * Starts delivering: loads every Subscription, resumes each from its cursor (one without a cursor from its own
     * last version), and follows the change feed. Nothing if this node already delivers.
     */
    public synchronized void start() {
        if (dispatcher != null) {
            return;
        }
        long now = store.lastT();
        ChangeDispatcher d = new ChangeDispatcher(store, matcher, recent, now);
        ctx = new WorkerContext(store, cursors, matcher, statusWriter,
                Map.of(ChannelType.REST_HOOK, restHook, ChannelType.WEBSOCKET, websocket), observer, d, baseUrl,
                settings);
        String after = null;
        while (true) {
            List<ResourceVersion> page = store.currentAfter("Subscription", after, 256);
            for (ResourceVersion v : page) {
                SubscriptionSpec spec = read(v);
                if (spec != null && spec.status() != Status.OFF && channels.covers(spec)) {
                    Cursor cursor = cursors.find(spec.id()).orElse(new Cursor(Math.min(v.t(), now), 0));
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
        dispatcher = d;
        d.start(new ChangeDispatcher.Registry() {
            @Override
            public SubscriptionIndex index() {
                return index;
            }

            @Override
            public void subscriptionChanged(ResourceVersion version) {
                changed(version);
            }
        });
        if (!listening) {
            listening = true;
            store.addCommitListener(outcomes -> {
                ChangeDispatcher current = dispatcher;
                if (current != null) {
                    recent.add(outcomes, type -> index.covers(type));
                    current.wake();
                }
            });
        }
        LOG.info("Subscriptions: {} active, following the change feed from t={}", workers.size(), now);
    }

    /** Whether this node delivers now. */
    public boolean delivering() {
        return dispatcher != null;
    }

    /**
     * Stops delivering (another node delivers, or the server stops): the dispatcher and every worker end, the cursors
     * are written. Deliveries under way may be made again by whoever delivers next (at least once).
     */
    public synchronized void stop() {
        ChangeDispatcher d = dispatcher;
        if (d == null) {
            return;
        }
        dispatcher = null;
        d.close();
        workers.values().forEach(SubscriptionWorker::stop);
        workers.values().forEach(w -> w.join(2000));
        workers.clear();
        index = SubscriptionIndex.EMPTY;
        recent.clear();
        cursors.close();
        LOG.info("Subscriptions: this node stopped delivering");
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

    /**
     * The kept events numbered {@code from} to {@code to} of a subscription ({@code $events}) that {@code caller} may
     * read, each with its version; versions no longer stored are left out.
     */
    List<NotificationBundles.Event> events(String id, long from, long to, Audience caller) {
        cursors.flush();
        List<NotificationBundles.Event> out = new java.util.ArrayList<>();
        for (EventLog.Entry e : cursors.events().read(id, from, to, EventsOperation.MAX_EVENTS)) {
            store.readVersion(e.type(), e.id(), e.version()).filter(v -> matcher.visible(caller, v))
                    .ifPresent(v -> out.add(new NotificationBundles.Event(e.number(), v)));
        }
        return out;
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
        if (!channels.covers(spec)) { // delivered by another service (its channel changed)
            if (old != null) {
                old.stop();
                workers.remove(v.id());
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
        index = SubscriptionIndex.of(workers.values());
    }

    /** The stored Subscription as a spec; null (and status error with the reason) when it cannot be delivered. */
    private SubscriptionSpec read(ResourceVersion v) {
        Subscription s = (Subscription) ResourceReader.readStored(v.json());
        try {
            return reader.read(s, v.version());
        } catch (FhirException e) {
            if (s.getStatus() != Subscription.SubscriptionStatus.OFF) {
                LOG.info("Subscription/{} cannot be delivered: {}", v.id(), e.getMessage());
                statusWriter.set(v.id(), Status.ERROR, e.getMessage());
            }
            return null;
        }
    }

    @Override
    public void close() {
        stop();
        restHook.close();
    }
}
