package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the change feed on one thread, woken by each commit: for every committed change, the subscriptions that could
 * match it ({@link SubscriptionIndex}: by type, then by the values their criteria test) are tested in memory, on the
 * values its write computed when they are at hand ({@link RecentCommits}), and the matching ones get the transaction's
 * matches queued, in commit order. Subscription changes update the
 * registry in the same order, so a subscription hears exactly of the changes committed after it.
 */
final class ChangeDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeDispatcher.class);
    private static final int BATCH = 512;

    /** What the dispatcher does with the changes (the registry). */
    interface Registry {
        SubscriptionIndex index();

        void subscriptionChanged(ResourceVersion version);
    }

    private final ResourceStore store;
    private final ChangeMatcher matcher;
    private final RecentCommits recent;
    private Registry registry;
    /** The transaction being dispatched (its notifications may be on their way into queues). */
    private volatile long current;
    /** Every change up to this transaction has been offered. */
    private volatile long completed;
    private volatile boolean closed;
    private volatile boolean woken;
    private Thread thread;

    ChangeDispatcher(ResourceStore store, ChangeMatcher matcher, RecentCommits recent, long from) {
        this.store = store;
        this.matcher = matcher;
        this.recent = recent;
        this.current = from;
        this.completed = from;
    }

    void start(Registry registry) {
        this.registry = registry;
        thread = Thread.ofPlatform().daemon().name("subscription-dispatcher").start(this::run);
    }

    long current() {
        return current;
    }

    long completed() {
        return completed;
    }

    /** A commit happened (called on the writer thread: only unparks). */
    void wake() {
        woken = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void close() {
        closed = true;
        wake();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (!closed) {
            try {
                woken = false;
                SubscriptionIndex index = registry.index();
                // only the types some subscription is on, and Subscriptions themselves, are read: a write nobody
                // listens to costs the dispatcher a key on the feed, not a read of its contents
                ResourceStore.ChangeBatch batch = store.changesAfter(completed, BATCH,
                        type -> type.equals("Subscription") || index.covers(type));
                List<ResourceVersion> versions = batch.versions();
                if (versions.isEmpty() && batch.readTo() == completed) {
                    if (!woken) {
                        LockSupport.parkNanos(200_000_000L);
                    }
                    continue;
                }
                boolean indexChanged = false;
                int i = 0;
                while (i < versions.size() && !indexChanged) {
                    long t = versions.get(i).t();
                    int end = i;
                    while (end < versions.size() && versions.get(end).t() == t) {
                        end++;
                    }
                    dispatch(t, versions.subList(i, end));
                    i = end;
                    // a subscription came, went or changed: what follows was read for the types of the old set
                    indexChanged = registry.index() != index;
                }
                if (!indexChanged && batch.readTo() > completed) { // the transactions nobody listens to
                    current = batch.readTo();
                    completed = batch.readTo();
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.error("subscription dispatch failed; retrying in a second", e);
                LockSupport.parkNanos(1_000_000_000L);
            }
        }
    }

    private void dispatch(long t, List<ResourceVersion> changes) {
        current = t;
        Map<SubscriptionWorker, List<ResourceVersion>> matched = new LinkedHashMap<>();
        List<ResourceVersion> subscriptions = new ArrayList<>();
        Map<String, byte[]> records = recent.take(t);
        SubscriptionIndex index = registry.index();
        for (ResourceVersion v : changes) {
            if (v.type().equals("Subscription")) {
                subscriptions.add(v);
                continue;
            }
            if (!index.covers(v.type())) {
                continue;
            }
            Change change = matcher.change(v, records.get(v.type() + "/" + v.id() + "/" + v.version()));
            for (SubscriptionWorker w : index.candidates(change)) {
                try {
                    if (matcher.matches(w.compiled(), change)) {
                        matched.computeIfAbsent(w, k -> new ArrayList<>()).add(v);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Subscription/{}: {}/{} could not be matched: {}", w.spec().id(), v.type(), v.id(),
                            e.toString());
                }
            }
        }
        matched.forEach((w, list) -> w.offer(new Notification(t, list)));
        for (ResourceVersion v : subscriptions) {
            registry.subscriptionChanged(v);
        }
        completed = t;
    }
}
