package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.subscriptions.DeliveryCursors.Cursor;
import dev.fhirbolt.subscriptions.SubscriptionSpec.Status;
import dev.fhirbolt.subscriptions.channel.Channel;
import dev.fhirbolt.subscriptions.channel.DeliveryException;
import dev.fhirbolt.subscriptions.channel.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one subscription's notifications in commit order on its own (virtual) thread, so a slow or dead endpoint
 * holds up nobody else. Notifications come from the {@link ChangeDispatcher} through a bounded queue; when the queue
 * overflows, or after a restart, the worker is "lagging" and reads the change feed itself from its durable cursor
 * until it has caught up with the dispatcher. The cursor advances only after a delivery succeeded (at least once).
 */
final class SubscriptionWorker {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionWorker.class);
    private static final int FEED_BATCH = 256;

    private final String id;
    private final WorkerContext ctx;
    private final ArrayBlockingQueue<Notification> queue;
    private volatile SubscriptionSpec spec;
    /** The spec with its criteria compiled, for the dispatcher (made again when the spec changes). */
    private volatile ChangeMatcher.Compiled compiled;
    private volatile boolean stopped;
    private volatile boolean woken;
    /** Guarded by this: the dispatcher's notifications are ignored while the worker reads the feed itself. */
    private boolean lagging;
    private volatile Cursor cursor;
    private Status written;
    private long lastSent = System.nanoTime();
    /** Moving an idle cursor past changes that did not match is only a shortcut for restarts: every 10 s is enough. */
    private static final long IDLE_SAVE_NANOS = 10_000_000_000L;
    private long lastIdleSave = System.nanoTime();
    private Thread thread;

    SubscriptionWorker(SubscriptionSpec spec, Cursor cursor, boolean lagging, WorkerContext ctx) {
        this.id = spec.id();
        this.spec = spec;
        this.compiled = ctx.matcher().compile(spec);
        this.cursor = cursor;
        this.lagging = lagging;
        this.ctx = ctx;
        this.queue = new ArrayBlockingQueue<>(ctx.settings().queueCapacity());
    }

    /**
     * Up to this many workers run on platform threads, the rest on virtual ones. A platform thread waiting on its
     * queue or on its endpoint's answer is woken by the kernel directly; a virtual one costs a scheduler hop each way
     * (and its socket reads a hop through the JDK's poller): per notification about half the CPU
     * ({@code bench/subscriptions/ClientCost.java}). Past this many subscriptions, threads would cost more memory
     * than the hops cost CPU.
     */
    static final int PLATFORM_THREADS = 256;
    private static final java.util.concurrent.atomic.AtomicInteger PLATFORM = new java.util.concurrent.atomic
            .AtomicInteger();

    void start() {
        boolean platform = PLATFORM.incrementAndGet() <= PLATFORM_THREADS;
        if (!platform) {
            PLATFORM.decrementAndGet();
        }
        Runnable body = () -> {
            try {
                run();
            } finally {
                if (platform) {
                    PLATFORM.decrementAndGet();
                }
            }
        };
        thread = platform ? Thread.ofPlatform().daemon().name("subscription-" + id).start(body)
                : Thread.ofVirtual().name("subscription-" + id).start(body);
    }

    SubscriptionSpec spec() {
        return spec;
    }

    long delivered() {
        return cursor.events();
    }

    ChangeMatcher.Compiled compiled() {
        return compiled;
    }

    void update(SubscriptionSpec newer) {
        this.compiled = ctx.matcher().compile(newer);
        this.spec = newer;
        wake();
    }

    /** Called by the dispatcher, in commit order. */
    void offer(Notification n) {
        synchronized (this) {
            if (lagging) {
                return;
            }
            if (!queue.offer(n)) {
                lagging = true;
                LOG.info("Subscription/{} falls behind: reading the change feed from t={}", id, cursor.t());
                return;
            }
        }
        ctx.observer().queued(n.changes().size());
    }

    void wake() {
        woken = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void stop() {
        stopped = true;
        wake();
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Waits up to {@code millis} for the worker's thread to end (after {@link #stop}). */
    void join(long millis) {
        Thread t = thread;
        if (t != null) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            activate();
            while (!stopped) {
                Notification n = queue.poll(pollMillis(), TimeUnit.MILLISECONDS);
                if (n != null) {
                    if (n.t() > cursor.t()) {
                        deliver(n);
                    }
                } else if (isLagging()) {
                    catchUp();
                } else {
                    idle();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("Subscription/{}: delivery stopped by an unexpected error", id, e);
        } finally {
            for (Channel channel : ctx.channels().values()) {
                channel.release(); // the worker's connection
            }
        }
    }

    private long pollMillis() {
        int heartbeat = spec.heartbeatSeconds();
        return heartbeat > 0 ? Math.min(1000, heartbeat * 1000L) : 1000;
    }

    private synchronized boolean isLagging() {
        return lagging;
    }

    /** requested → active: a topic-based rest-hook first gets its handshake. */
    private void activate() throws InterruptedException {
        if (spec.status() != Status.REQUESTED && spec.status() != Status.ERROR) {
            written = spec.status();
            return;
        }
        if (spec.topicBased() && spec.channel() == SubscriptionSpec.ChannelType.REST_HOOK) {
            send(() -> Message.bundle(NotificationBundles.handshake(spec, ctx.baseUrl().get(), cursor.events())));
        } else {
            setStatus(Status.ACTIVE, null);
        }
    }

    /** Quiet: a heartbeat when one is due, and the cursor moved up to what the dispatcher has seen. */
    private void idle() throws InterruptedException {
        SubscriptionSpec s = spec;
        if (s.heartbeatSeconds() > 0 && System.nanoTime() - lastSent > s.heartbeatSeconds() * 1_000_000_000L) {
            send(() -> Message.bundle(NotificationBundles.heartbeat(spec, ctx.baseUrl().get(), cursor.events())));
        }
        long seen;
        synchronized (this) {
            seen = lagging || !queue.isEmpty() ? cursor.t() : ctx.dispatcher().completed();
        }
        if (seen > cursor.t() && System.nanoTime() - lastIdleSave > IDLE_SAVE_NANOS) {
            superseded(seen); // another node may have delivered further (a websocket client bound there)
        }
        if (seen > cursor.t() && System.nanoTime() - lastIdleSave > IDLE_SAVE_NANOS) {
            cursor = new Cursor(seen, cursor.events());
            ctx.cursors().save(id, cursor);
            lastIdleSave = System.nanoTime();
        }
    }

    /** Reads the change feed from the cursor until it is level with the dispatcher, then takes its queue again. */
    private void catchUp() throws InterruptedException {
        long readPos = cursor.t();
        while (!stopped) {
            String type = spec.criteria().type(); // the only type it can match: the others are passed over unread
            ResourceStore.ChangeBatch read = ctx.store().changesAfter(readPos, FEED_BATCH, type::equals);
            List<ResourceVersion> batch = read.versions();
            if (batch.isEmpty() && read.readTo() == readPos) {
                synchronized (this) {
                    if (ctx.dispatcher().current() <= readPos) {
                        lagging = false;
                        LOG.debug("Subscription/{} caught up at t={}", id, readPos);
                        return;
                    }
                }
                Thread.sleep(2);
                continue;
            }
            int i = 0;
            while (i < batch.size() && !stopped) {
                long t = batch.get(i).t();
                List<ResourceVersion> matched = new ArrayList<>();
                for (; i < batch.size() && batch.get(i).t() == t; i++) {
                    if (ctx.matcher().matches(compiled, ctx.matcher().change(batch.get(i)))) {
                        matched.add(batch.get(i));
                    }
                }
                if (!matched.isEmpty() && t > cursor.t()) {
                    deliver(new Notification(t, matched));
                }
                readPos = t;
            }
            if (!stopped) {
                readPos = Math.max(readPos, read.readTo());
            }
            if (readPos > cursor.t()) {
                cursor = new Cursor(readPos, cursor.events());
                ctx.cursors().save(id, cursor);
            }
        }
    }

    /** Delivers one transaction's matches (retrying until it succeeds or the subscription stops), then the cursor. */
    private void deliver(Notification n) throws InterruptedException {
        SubscriptionSpec s = spec;
        long events = cursor.events();
        List<EventLog.Entry> kept = new ArrayList<>();
        if (s.topicBased()) {
            List<NotificationBundles.Event> list = new ArrayList<>();
            for (ResourceVersion v : n.changes()) {
                list.add(new NotificationBundles.Event(++events, v));
                kept.add(EventLog.Entry.of(events, v));
                if (list.size() == s.maxCount()) {
                    long total = events;
                    List<NotificationBundles.Event> part = List.copyOf(list);
                    if (!send(() -> Message.bundle(NotificationBundles.events(spec, ctx.baseUrl().get(), total,
                            part)), n.t())) {
                        return;
                    }
                    list.clear();
                }
            }
            if (!list.isEmpty()) {
                long total = events;
                if (!send(() -> Message.bundle(NotificationBundles.events(spec, ctx.baseUrl().get(), total, list)),
                        n.t())) {
                    return;
                }
            }
        } else {
            for (ResourceVersion v : n.changes()) {
                events++;
                if (!send(() -> Message.resource(v.type() + "/" + v.id(), v.json()), n.t())) {
                    return;
                }
            }
        }
        if (stopped) {
            return;
        }
        cursor = new Cursor(n.t(), events);
        ctx.cursors().save(id, cursor, kept);
        ctx.observer().delivered(n.changes().size());
    }

    /** Sends until it arrives, backing off between attempts; the status follows (active / error with the reason). */
    private void send(java.util.function.Supplier<Message> message) throws InterruptedException {
        send(message, -1);
    }

    /**
     * Sends the notification of transaction {@code t} (-1: not about a transaction) until it arrives; false when it
     * was not sent: the worker stopped, or, while no websocket client was bound here, the subscription's shared cursor
     * moved past {@code t} (in a cluster a client bound on another node got it; the cursor is taken over).
     */
    private boolean send(java.util.function.Supplier<Message> message, long t) throws InterruptedException {
        long backoff = ctx.settings().firstRetry().toMillis();
        boolean unbound = false;
        while (!stopped) {
            if (spec.status() == Status.OFF) {
                stopped = true;
                return false;
            }
            if (unbound && t >= 0 && superseded(t)) { // woken by a bind: delivered elsewhere meanwhile?
                return false;
            }
            try {
                ctx.channels().get(spec.channel()).send(spec, message.get());
                lastSent = System.nanoTime();
                if (written != Status.ACTIVE) {
                    setStatus(Status.ACTIVE, null);
                }
                return true;
            } catch (DeliveryException e) {
                if (e.subscriberFault()) {
                    ctx.observer().failed();
                    LOG.info("Subscription/{}: {} (retrying in {} ms)", id, e.getMessage(), backoff);
                    setStatus(Status.ERROR, e.getMessage());
                } else if (t >= 0 && superseded(t)) {
                    return false;
                }
                unbound = !e.subscriberFault();
            }
            woken = false;
            long until = System.nanoTime() + backoff * 1_000_000L;
            while (!stopped && !woken && System.nanoTime() < until) {
                LockSupport.parkNanos(until - System.nanoTime());
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            backoff = Math.min(backoff * 2, ctx.settings().maxRetry().toMillis());
        }
        return false;
    }

    /** Whether the stored cursor (written by whoever delivered) is past {@code t}; if so the worker takes it. */
    private boolean superseded(long t) {
        Cursor stored = ctx.cursors().find(id).orElse(null);
        if (stored == null || stored.t() <= cursor.t()) {
            return false;
        }
        cursor = stored;
        return stored.t() >= t;
    }

    private void setStatus(Status status, String error) {
        if (ctx.status().set(id, status, error)) {
            written = status;
        }
    }
}
