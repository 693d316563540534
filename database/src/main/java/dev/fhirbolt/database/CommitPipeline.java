package dev.fhirbolt.database;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.Health;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceKeyspaces.State;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.StorageFullException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies commits one at a time in a single writer thread, which makes every commit serializable without locks.
 * Commits that arrive together are checked in order against each other's effects and written as one durable batch
 * (group commit), so a burst of creates costs one fsync instead of one each.
 *
 * <p>Nothing the writer thread meets ends it: a failure (any {@link Throwable}, an {@link OutOfMemoryError} included)
 * fails the commits it concerns with a 5xx and the thread goes on with the next ones. A full disk is reported to
 * {@link Health} until a write succeeds again. Should the thread end all the same, every waiting and later commit
 * fails at once with a 503 naming the cause, and {@code /health} turns DOWN.
 */
final class CommitPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);
    private static final int MAX_GROUP = 512;
    private static final long MAX_GROUP_BYTES = 16L * 1024 * 1024;
    /** The names this pipeline reports its conditions under in {@link Health}. */
    static final String HEALTH_PIPELINE = "commit-pipeline";
    static final String HEALTH_STORAGE = "storage";

    private sealed interface Job permits Planned, Refresh, Stop {
    }

    /** New derived entries for the current versions of resources; no new version, no new transaction. */
    private record Refresh(List<DerivedReplacement> replacements, CompletableFuture<Object> future)
            implements Job {
    }

    private record Planned(CommitPlanner<?> planner, boolean exclusive, CompletableFuture<Object> future)
            implements Job {
    }

    private record Stop() implements Job {
    }

    /** What a finished commit hands back: its outcomes and the planner's payload. */
    record Applied(List<WriteOutcome> outcomes, Object payload) {
    }

    private final KvStore store;
    private final Clock clock;
    private final DerivedKeyFinder derivedKeys;
    private final List<java.util.function.Consumer<List<WriteOutcome>>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private volatile CommitObserver observer = CommitObserver.NONE;
    private final Thread writer;
    private final Health health;
    private long lastT;
    private long lastMillis;
    /** The log position of the last replicated commit applied (cluster mode), -1 before the first. */
    private volatile long lastPosition;
    /** The last transaction whose writes are durable and visible to reads ({@link #lastT} runs ahead of it). */
    private volatile long visibleT;
    private volatile boolean stopped;
    /** Why the writer thread ended other than by {@link #close()}; null while it runs. */
    private volatile String died;

    CommitPipeline(KvStore store, Clock clock, DerivedKeyFinder derivedKeys, Health health) {
        this.store = store;
        this.clock = clock;
        this.derivedKeys = derivedKeys;
        this.health = health;
        this.lastT = store.get(ResourceKeyspaces.META, ResourceKeyspaces.LAST_T)
                .map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
        this.visibleT = lastT;
        this.lastPosition = store.get(ResourceKeyspaces.META, ResourceKeyspaces.LAST_POSITION)
                .map(v -> ByteBuffer.wrap(v).getLong()).orElse(-1L);
        this.writer = Thread.ofPlatform().name("fhirbolt-commit").daemon(false).unstarted(this::runGuarded);
        this.writer.start();
    }

    void addListener(java.util.function.Consumer<List<WriteOutcome>> listener) {
        listeners.add(listener);
    }

    void observe(CommitObserver observer) {
        this.observer = observer;
    }

    /** Commits waiting for the writer thread. */
    int queueDepth() {
        return queue.size();
    }

    long lastT() {
        return lastT;
    }

    long visibleT() {
        return visibleT;
    }

    long lastPosition() {
        return lastPosition;
    }

    /** Completes with the replacements that were not applied because their resource changed meanwhile. */
    @SuppressWarnings("unchecked")
    CompletableFuture<List<DerivedReplacement>> submitRefresh(List<DerivedReplacement> replacements) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        enqueue(new Refresh(List.copyOf(replacements), future), future);
        return future.thenApply(o -> (List<DerivedReplacement>) o);
    }

    @SuppressWarnings("unchecked")
    <P> CompletableFuture<Applied> submit(CommitPlanner<P> planner, boolean exclusive) {
        CompletableFuture<Object> future = new CompletableFuture<>();
        enqueue(new Planned(planner, exclusive, future), future);
        return future.thenApply(o -> (Applied) o);
    }

    /**
     * Queues a job, or fails it at once when the writer no longer takes any. A job queued just as the writer stops
     * is taken back (and failed) here; one the writer takes anyway is done or failed by it, and a waiter notices a
     * writer that has ended within a second ({@link ResourceStore}).
     */
    private void enqueue(Job job, CompletableFuture<Object> future) {
        if (stopped) {
            future.completeExceptionally(notRunning());
            return;
        }
        queue.add(job);
        if (stopped && queue.remove(job)) {
            future.completeExceptionally(notRunning());
        }
    }

    /** The writer thread still takes commits. */
    boolean isRunning() {
        return !stopped && writer.isAlive();
    }

    /** Why commits are refused: a shutdown, or the writer's death and its cause. */
    FhirException notRunning() {
        String cause = died;
        return cause == null
                ? new FhirException(503, IssueType.TRANSIENT, "the server is shutting down")
                : new FhirException(503, IssueType.TRANSIENT, "the server cannot store changes: its commit"
                        + " pipeline stopped (" + cause + "); see /health and the server log. Restart the server");
    }

    private void runGuarded() {
        try {
            run();
        } catch (Throwable e) {
            died = describe(e);
            stopped = true;
            LOG.error("the commit pipeline stopped; every write fails until the server is restarted", e);
            health.report(HEALTH_PIPELINE, Health.Level.DOWN, "the commit pipeline stopped: " + died
                    + "; writes fail until the server is restarted");
            failRemaining();
        }
    }

    private void run() {
        List<Job> group = new ArrayList<>();
        while (true) {
            Job first;
            try {
                first = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                continue;
            }
            if (first == null) {
                probeStorage();
                continue;
            }
            if (first instanceof Stop) {
                failRemaining();
                return;
            }
            group.add(first);
            boolean stopAfter = false;
            while (group.size() < MAX_GROUP) {
                Job next = queue.peek();
                if (next == null) {
                    break;
                }
                if (next instanceof Stop) {
                    queue.poll();
                    stopAfter = true;
                    break;
                }
                group.add(queue.poll());
            }
            try {
                process(group);
            } catch (Throwable e) {
                // not expected (each step handles its own failures), but never leave a commit waiting
                LOG.error("a group of {} commits failed; none of them is visible", group.size(), e);
                FhirException failure = failure(e);
                for (Job job : group) {
                    future(job).completeExceptionally(failure);
                }
            }
            group.clear();
            if (stopAfter) {
                failRemaining();
                return;
            }
        }
    }

    /**
     * While writes are refused for a full disk and none arrive, tries a tiny write once a second, so that
     * {@code /health} turns UP again soon after space is freed, not only at the next client write.
     */
    private void probeStorage() {
        if (health.condition(HEALTH_STORAGE).isEmpty()) {
            return;
        }
        try {
            store.write(new KvBatch().put(ResourceKeyspaces.META, ResourceKeyspaces.LAST_T,
                    ByteBuffer.allocate(8).putLong(lastT).array()), true);
            health.clear(HEALTH_STORAGE);
            LOG.info("the database takes writes again");
        } catch (RuntimeException e) {
            health.report(HEALTH_STORAGE, Health.Level.DEGRADED, "writes are refused: " + e.getMessage());
        }
    }

    private void failRemaining() {
        Job job;
        while ((job = queue.poll()) != null) {
            CompletableFuture<Object> future = future(job);
            if (future != null) {
                future.completeExceptionally(notRunning());
            }
        }
    }

    private static CompletableFuture<Object> future(Job job) {
        return switch (job) {
            case Planned p -> p.future;
            case Refresh r -> r.future;
            case Stop s -> new CompletableFuture<>();
        };
    }

    /**
     * What a commit that failed on the writer thread answers: 507 for a full disk, the planner's own
     * {@link FhirException}, else a 500 naming the cause (the log has the stack trace).
     */
    static FhirException failure(Throwable e) {
        if (e instanceof FhirException fe) {
            return fe;
        }
        if (e instanceof StorageFullException full) {
            return new FhirException(507, IssueType.EXCEPTION, "nothing was stored: " + full.getMessage(), null, e);
        }
        if (e instanceof OutOfMemoryError) {
            return new FhirException(503, IssueType.TOO_COSTLY, "nothing was stored: the server ran out of memory"
                    + " while committing (" + describe(e) + "). Send smaller transactions or give the server a"
                    + " larger heap (-Xmx)", null, e);
        }
        return new FhirException(500, IssueType.EXCEPTION, "the database could not store the change; nothing was"
                + " written (" + describe(e) + ")", null, e);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Processes a group in order; exclusive jobs see everything before them durable and run alone. */
    private void process(List<Job> group) {
        GroupWrite pending = new GroupWrite();
        for (Job next : group) {
            if (next instanceof Refresh refresh) {
                pending.refresh(refresh);
                continue;
            }
            Planned job = (Planned) next;
            if (job.exclusive && !pending.isEmpty()) {
                pending.flush();
                pending = new GroupWrite();
            }
            pending.apply(job);
            if (job.exclusive || pending.batch.approximateBytes() > MAX_GROUP_BYTES) {
                pending.flush();
                pending = new GroupWrite();
            }
        }
        pending.flush();
    }

    /** The writes of a group not yet durable, and the resource states they produce. */
    private final class GroupWrite {
        final KvBatch batch = new KvBatch();
        final Map<String, Optional<State>> states = new HashMap<>();
        /** The derived entries this group wrote per resource (none for a deletion): not in the store yet. */
        final Map<String, List<KvEntry>> derived = new HashMap<>();
        final List<Runnable> completions = new ArrayList<>();
        final List<CompletableFuture<Object>> futures = new ArrayList<>();
        final long tBefore = lastT;
        final long millisBefore = lastMillis;
        final long positionBefore = lastPosition;
        /** The last transaction of this group that wrote each type. */
        final Map<String, Long> typeT = new HashMap<>();
        /** Where previous derived entries are found: everything before this group is durable, so it sees them. */
        private KvSnapshot snapshot;
        /**
         * Whether a change of this group is not from the cluster's log. Only then is its write synced to disk: a
         * change applied from the log (a cluster node's every commit) is durable in the log already, and a node that
         * loses its unsynced tail in a crash resumes from the position its disk holds and applies the rest again.
         */
        private boolean unlogged;

        boolean isEmpty() {
            return futures.isEmpty();
        }

        void apply(Planned job) {
            try {
                CommitPlanner.Plan<?> plan = job.planner.plan();
                Staged staged = stage(plan.commit());
                unlogged |= staged.position < 0;
                staged.mergeInto(this);
                Applied applied = new Applied(staged.outcomes, plan.payload());
                futures.add(job.future);
                completions.add(() -> {
                    notifyListeners(staged.outcomes);
                    job.future.complete(applied);
                });
            } catch (Throwable e) {
                if (!(e instanceof FhirException)) {
                    LOG.error("a commit failed while being prepared; nothing of it was written", e);
                }
                job.future.completeExceptionally(failure(e));
            }
        }

        /** Replaces derived entries of current versions, skipping resources whose version moved on. */
        void refresh(Refresh job) {
            unlogged = true;
            try {
                Staged staged = new Staged();
                List<DerivedReplacement> stale = new ArrayList<>();
                for (DerivedReplacement r : job.replacements()) {
                    String key = r.type() + '/' + r.id();
                    Optional<State> current = staged.states.containsKey(key) ? staged.states.get(key)
                            : currentState(r.type(), r.id());
                    if (current.isEmpty() || current.get().deleted() || current.get().version() != r.version()) {
                        stale.add(r);
                        continue;
                    }
                    replaceDerived(staged, r.type(), r.id(), key, current, r.derived().entries(r.version(),
                            current.get().lastUpdated()));
                    staged.states.put(key, current);
                }
                batch.addAll(staged.batch);
                derived.putAll(staged.derived);
                futures.add(job.future());
                completions.add(() -> job.future().complete(stale));
            } catch (Throwable e) {
                LOG.error("replacing derived entries failed; nothing of it was written", e);
                job.future().completeExceptionally(failure(e));
            }
        }

        void flush() {
            if (snapshot != null) {
                snapshot.close();
            }
            if (futures.isEmpty()) {
                return;
            }
            try {
                batch.put(ResourceKeyspaces.META, ResourceKeyspaces.LAST_T,
                        ByteBuffer.allocate(8).putLong(lastT).array());
                if (lastPosition != positionBefore) {
                    batch.put(ResourceKeyspaces.META, ResourceKeyspaces.LAST_POSITION,
                            ByteBuffer.allocate(8).putLong(lastPosition).array());
                }
                long writeStarted = System.nanoTime();
                store.write(batch, unlogged);
                observeBatch(futures.size(), System.nanoTime() - writeStarted);
            } catch (Throwable e) {
                lastT = tBefore;
                lastMillis = millisBefore;
                lastPosition = positionBefore;
                if (e instanceof StorageFullException) {
                    LOG.warn("commit of {} writes refused, nothing of them is visible: {}", futures.size(),
                            e.getMessage());
                    health.report(HEALTH_STORAGE, Health.Level.DEGRADED, "writes are refused: " + e.getMessage());
                } else {
                    LOG.error("commit of {} writes failed; none of them is visible", futures.size(), e);
                }
                FhirException failure = failure(e);
                futures.forEach(f -> f.completeExceptionally(failure));
                return;
            }
            visibleT = lastT;
            health.clear(HEALTH_STORAGE);
            for (Runnable completion : completions) {
                try {
                    completion.run();
                } catch (Throwable e) {
                    LOG.error("completing a durable commit failed", e);
                }
            }
        }

        Optional<State> currentState(String type, String id) {
            String key = type + '/' + id;
            Optional<State> known = states.get(key);
            if (known != null) {
                return known;
            }
            return store.get(ResourceKeyspaces.CURRENT, ResourceKeyspaces.resourceKey(type, id))
                    .map(State::decodeCurrent);
        }

        /** Deletes the derived entries the resource has before this write: a creation has none to find. */
        private void deletePrevious(Staged staged, String type, String id, String key, Optional<State> current) {
            List<KvEntry> written = staged.derived.containsKey(key) ? staged.derived.get(key) : derived.get(key);
            if (written != null) {
                for (KvEntry entry : written) {
                    staged.batch.delete(entry.keyspace(), entry.key());
                }
            } else if (current.isPresent() && !current.get().deleted()) {
                if (snapshot == null) {
                    snapshot = store.snapshot();
                }
                derivedKeys.find(snapshot, type, id, staged.batch::delete);
            }
        }

        /** Checks and encodes one commit against the group's state so far, changing nothing if it fails. */
        Staged stage(Commit commit) {
            Staged staged = new Staged();
            Replication replication = commit.replication();
            if (replication != null) {
                staged.position = replication.position();
                if (replication.planned()) {
                    checkNotChangedSince(replication);
                }
            }
            if (commit.writes().isEmpty()) {
                return staged;
            }
            long t = lastT + 1;
            Instant now = replication != null ? replication.at()
                    : Instant.ofEpochMilli(Math.max(clock.millis(), lastMillis));
            for (Write write : commit.writes()) {
                String key = write.type() + '/' + write.id();
                Optional<State> current = staged.states.containsKey(key) ? staged.states.get(key)
                        : currentState(write.type(), write.id());
                check(write, current);
                boolean exists = current.isPresent() && !current.get().deleted();
                if (write.method() == WriteMethod.DELETE && !exists) {
                    staged.outcomes.add(new WriteOutcome(write, current.map(s -> new ResourceVersion(write.type(),
                            write.id(), s.version(), s.lastUpdated(), true, WriteMethod.DELETE, s.t(), null))
                            .orElse(null), WriteOutcome.Kind.NOTHING_TO_DELETE));
                    continue;
                }
                long version = current.map(State::version).orElse(0L) + 1;
                boolean deleted = write.method() == WriteMethod.DELETE;
                byte[] json = deleted ? null : write.body().stamp(version, now);
                State state = new State(version, t, now, deleted);
                staged.batch.put(ResourceKeyspaces.CURRENT, ResourceKeyspaces.resourceKey(write.type(), write.id()),
                        state.encodeCurrent());
                staged.batch.put(ResourceKeyspaces.VERSIONS,
                        ResourceKeyspaces.versionKey(write.type(), write.id(), version),
                        deleted ? ResourceKeyspaces.encodeVersion(t, now, true, write.method(), null)
                                : write.body().reference()
                                        .map(ref -> ResourceKeyspaces.encodeReference(t, now, write.method(), ref))
                                        .orElseGet(() -> ResourceKeyspaces.encodeVersion(t, now, false,
                                                write.method(), json)));
                staged.batch.put(ResourceKeyspaces.CHANGES, ResourceKeyspaces.changeKey(t, write.type(), write.id()),
                        state.encodeChange());
                staged.batch.put(ResourceKeyspaces.TYPE_CHANGES,
                        ResourceKeyspaces.typeChangeKey(write.type(), t, write.id()), state.encodeChange());
                replaceDerived(staged, write.type(), write.id(), key, current,
                        deleted ? List.of() : write.derived().entries(version, now));
                staged.states.put(key, Optional.of(state));
                WriteOutcome.Kind kind = deleted ? WriteOutcome.Kind.DELETED
                        : exists ? WriteOutcome.Kind.UPDATED : WriteOutcome.Kind.CREATED;
                staged.outcomes.add(new WriteOutcome(write,
                        new ResourceVersion(write.type(), write.id(), version, now, deleted, write.method(), t, json),
                        kind));
            }
            staged.t = staged.batch.isEmpty() ? -1 : t;
            staged.millis = now.toEpochMilli();
            return staged;
        }

        /** Refuses a replicated plan when a type it read was written after the transaction it was planned on. */
        private void checkNotChangedSince(Replication replication) {
            for (String type : replication.readTypes()) {
                long latest = type.equals(ReadSet.ALL_TYPES) ? lastT : Math.max(
                        typeT.getOrDefault(type, 0L), latestStoredT(type));
                if (latest > replication.baseT()) {
                    throw new StalePlanException(type, replication.baseT());
                }
            }
        }

        /** The last transaction before this group that wrote {@code type}, from the type's change feed. */
        private long latestStoredT(String type) {
            if (snapshot == null) {
                snapshot = store.snapshot();
            }
            byte[] prefix = dev.fhirbolt.storage.Bytes.key(type);
            try (var cursor = snapshot.cursor(ResourceKeyspaces.TYPE_CHANGES)) {
                cursor.seekForPrev(dev.fhirbolt.storage.Bytes.key(type, Long.MAX_VALUE));
                if (cursor.isValid() && dev.fhirbolt.storage.Bytes.startsWith(cursor.key(), prefix)) {
                    return dev.fhirbolt.storage.Bytes.readSortableLong(cursor.key(), prefix.length);
                }
            }
            return 0;
        }

        /** Removes the previous entries, then puts the new ones (a key in both stays: the batch applies in order). */
        private void replaceDerived(Staged staged, String type, String id, String key, Optional<State> current,
                List<KvEntry> entries) {
            deletePrevious(staged, type, id, key, current);
            for (KvEntry entry : entries) {
                staged.batch.put(entry.keyspace(), entry.key(), entry.value());
            }
            staged.derived.put(key, entries);
        }
    }

    private void observeBatch(int commits, long writeNanos) {
        try {
            observer.batchWritten(commits, writeNanos);
        } catch (RuntimeException e) {
            LOG.warn("the commit observer failed; the commit itself is durable", e);
        }
    }

    private void notifyListeners(List<WriteOutcome> outcomes) {
        for (var listener : listeners) {
            try {
                listener.accept(outcomes);
            } catch (Throwable e) {
                LOG.error("a commit listener failed; the commit itself is durable", e);
            }
        }
    }

    private static void check(Write write, Optional<State> current) {
        switch (write.expectation()) {
            case Expectation.Any any -> {
            }
            case Expectation.Absent absent -> {
                if (current.isPresent() && !current.get().deleted()) {
                    throw FhirException.conflict(write.type() + "/" + write.id() + " already exists");
                }
            }
            case Expectation.Version expected -> {
                long actual = current.filter(s -> !s.deleted()).map(State::version).orElse(0L);
                if (actual != expected.version()) {
                    throw FhirException.preconditionFailed("version conflict on " + write.type() + "/" + write.id()
                            + ": If-Match asked for version " + expected.version()
                            + (actual == 0 ? " but the resource does not exist" : " but the current is " + actual));
                }
            }
        }
    }

    /** One commit's changes, merged into the group only when every write passed its check. */
    private final class Staged {
        final KvBatch batch = new KvBatch();
        final Map<String, Optional<State>> states = new HashMap<>();
        final Map<String, List<KvEntry>> derived = new HashMap<>();
        final List<WriteOutcome> outcomes = new ArrayList<>();
        long t = -1;
        long millis;
        long position = -1;

        void mergeInto(GroupWrite group) {
            if (position > lastPosition) {
                lastPosition = position;
            }
            if (t < 0) {
                return;
            }
            lastT = t;
            lastMillis = millis;
            for (WriteOutcome outcome : outcomes) {
                group.typeT.put(outcome.write().type(), t);
            }
            group.batch.addAll(batch);
            group.states.putAll(states);
            group.derived.putAll(derived);
        }
    }

    @Override
    public void close() {
        stopped = true;
        queue.add(new Stop());
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
