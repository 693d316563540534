package dev.fhirbolt.database;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.Health;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceKeyspaces.State;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Resources and every one of their versions, on any {@link KvStore}. Reads go straight to the store; writes go
 * through the single-writer {@link CommitPipeline}, so each commit is atomic, serializable and durable when it
 * returns, and visible to the very next read or search.
 */
public final class ResourceStore implements AutoCloseable {

    private final KvStore kv;
    private final CommitPipeline pipeline;
    private final Health health;
    /** Where commits go when not straight into {@link #pipeline}: the cluster's log ({@link #route}). */
    private volatile CommitPath path;
    /** Resolves versions stored as a content reference (a cluster node's; {@link #readContentsFrom}). */
    private volatile ContentSource contents = ContentSource.NONE;

    /** {@code derivedKeys} finds the derived entries that writes replace (see {@link DerivedEntries}). */
    public ResourceStore(KvStore kv, Clock clock, DerivedKeyFinder derivedKeys) {
        this(kv, clock, derivedKeys, new Health());
    }

    /** As above, reporting the commit pipeline's and the disk's conditions to {@code health}. */
    public ResourceStore(KvStore kv, Clock clock, DerivedKeyFinder derivedKeys, Health health) {
        this.kv = kv;
        this.health = health;
        this.pipeline = new CommitPipeline(kv, clock, derivedKeys, health);
    }

    /** Where this store reports what keeps it from writing (a stopped commit pipeline, a full disk). */
    public Health health() {
        return health;
    }

    /** The keyspaces this layer needs; the composition root opens the store with them. */
    public static List<Keyspace> keyspaces() {
        return ResourceKeyspaces.ALL;
    }

    public KvStore kv() {
        return kv;
    }

    /** The current version, including a deletion marker when the resource was deleted. */
    public Optional<ResourceVersion> readCurrent(String type, String id) {
        ReadSet.read(type);
        return kv.get(ResourceKeyspaces.CURRENT, ResourceKeyspaces.resourceKey(type, id))
                .map(State::decodeCurrent)
                .flatMap(state -> readVersion(type, id, state.version()));
    }

    /**
     * Whether the resource exists and is not deleted, from its current-state record alone: neither its version nor
     * its contents are read (in a cluster, contents may have to come from the content store).
     */
    public boolean exists(String type, String id) {
        ReadSet.read(type);
        return kv.get(ResourceKeyspaces.CURRENT, ResourceKeyspaces.resourceKey(type, id))
                .map(State::decodeCurrent)
                .filter(state -> !state.deleted())
                .isPresent();
    }

    /** The current version as of a snapshot (search reads through one so that a page is consistent). */
    public Optional<ResourceVersion> readCurrent(KvSnapshot snapshot, String type, String id) {
        ReadSet.read(type);
        return snapshot.get(ResourceKeyspaces.CURRENT, ResourceKeyspaces.resourceKey(type, id))
                .map(State::decodeCurrent)
                .flatMap(state -> snapshot.get(ResourceKeyspaces.VERSIONS,
                                ResourceKeyspaces.versionKey(type, id, state.version()))
                        .map(v -> decode(type, id, state.version(), v)));
    }

    public Optional<ResourceVersion> readVersion(String type, String id, long version) {
        ReadSet.read(type);
        return kv.get(ResourceKeyspaces.VERSIONS, ResourceKeyspaces.versionKey(type, id, version))
                .map(v -> decode(type, id, version, v));
    }

    /**
     * Resolves versions stored as content references through {@code source} (a cluster node whose contents are in
     * the cluster's content store). Set once, before the store serves reads.
     */
    public void readContentsFrom(ContentSource source) {
        this.contents = source;
    }

    private ResourceVersion decode(String type, String id, long version, byte[] value) {
        return ResourceKeyspaces.decodeVersion(type, id, version, value, contents);
    }

    /**
     * The version of a resource that was current right after transaction {@code asOfT}: empty when it did not exist
     * yet or was deleted then. Exports use it to be exact as of their transaction time without holding a snapshot.
     */
    public Optional<ResourceVersion> readAsOf(String type, String id, long asOfT) {
        ReadSet.read(type);
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor cursor = snapshot.cursor(ResourceKeyspaces.VERSIONS)) {
            return readAsOf(cursor, type, id, asOfT);
        }
    }

    private Optional<ResourceVersion> readAsOf(KvCursor cursor, String type, String id, long asOfT) {
        byte[] prefix = ResourceKeyspaces.resourceKey(type, id);
        cursor.seekForPrev(ResourceKeyspaces.versionKey(type, id, Long.MAX_VALUE));
        for (; cursor.isValid() && Bytes.startsWith(cursor.key(), prefix); cursor.prev()) {
            long version = Bytes.readSortableLong(cursor.key(), prefix.length);
            byte[] value = cursor.value();
            if (ResourceKeyspaces.versionT(value) <= asOfT) {
                return ResourceKeyspaces.versionDeleted(value) ? Optional.empty()
                        : Optional.of(decode(type, id, version, value));
            }
        }
        return Optional.empty();
    }

    /**
     * Visits every resource of a type as it was right after transaction {@code asOfT}, in id order, skipping those
     * absent or deleted then. Reads through one snapshot; memory stays flat however many resources there are.
     */
    public void scanType(String type, long asOfT, java.util.function.Consumer<ResourceVersion> visitor) {
        ReadSet.read(type);
        byte[] prefix = Bytes.key(type);
        try (KvSnapshot snapshot = kv.snapshot();
                KvCursor current = snapshot.cursor(ResourceKeyspaces.CURRENT);
                KvCursor versions = snapshot.cursor(ResourceKeyspaces.VERSIONS)) {
            for (current.seek(prefix); current.isValid() && Bytes.startsWith(current.key(), prefix); current.next()) {
                byte[] key = current.key();
                String id = Bytes.utf8(key, prefix.length, key.length - 1);
                State state = State.decodeCurrent(current.value());
                Optional<ResourceVersion> version;
                if (state.t() <= asOfT) {
                    version = state.deleted() ? Optional.empty() : snapshot.get(ResourceKeyspaces.VERSIONS,
                                    ResourceKeyspaces.versionKey(type, id, state.version()))
                            .map(v -> decode(type, id, state.version(), v));
                } else {
                    version = readAsOf(versions, type, id, asOfT);
                }
                version.ifPresent(visitor);
            }
        }
    }

    /** Applies the writes atomically and returns once they are durable. */
    public List<WriteOutcome> commit(Commit commit) {
        return commit(() -> new CommitPlanner.Plan<>(commit, null), false).outcomes();
    }

    /**
     * As {@link #commit}, without waiting: completes once the writes are durable (or failed). For writers that keep
     * several commits in flight so that each one's fsync overlaps the next one's preparation (the audit trail).
     */
    public CompletableFuture<List<WriteOutcome>> commitAsync(Commit commit) {
        if (path != null) {
            return CompletableFuture.supplyAsync(() -> commit(commit));
        }
        return pipeline.submit(() -> new CommitPlanner.Plan<>(commit, null), false)
                .thenApply(CommitPipeline.Applied::outcomes);
    }

    /**
     * Runs the planner with the write order held, so what it reads cannot change before its writes land (conditional
     * interactions and transactions use this).
     */
    public <P> CommittedPlan<P> commitExclusively(CommitPlanner<P> planner) {
        return commit(planner, true);
    }

    /** Outcomes of a planned commit plus the planner's payload. */
    public record CommittedPlan<P>(List<WriteOutcome> outcomes, P payload) {
    }

    private <P> CommittedPlan<P> commit(CommitPlanner<P> planner, boolean exclusive) {
        CommitPath route = path;
        return route != null ? route.commit(planner, exclusive) : commitHere(planner, exclusive);
    }

    /**
     * Sends every later commit along {@code path} instead of straight into this node's pipeline: the cluster's log,
     * whose applier then hands each commit back to {@link #apply}. Set once, before the store serves.
     */
    public void route(CommitPath path) {
        this.path = path;
    }

    /**
     * Applies a commit taken from the cluster's log (its {@link Commit#replication()} set) in log order with the
     * others; completes once it is durable, or exceptionally as every node refuses it.
     */
    public CompletableFuture<List<WriteOutcome>> apply(Commit replicated) {
        if (replicated.replication() == null) {
            throw new IllegalArgumentException("only commits from the log are applied this way");
        }
        return pipeline.submit(() -> new CommitPlanner.Plan<>(replicated, null), false)
                .thenApply(CommitPipeline.Applied::outcomes);
    }

    /** The last transaction whose writes reads see: what a plan made now is based on. */
    public long visibleT() {
        return pipeline.visibleT();
    }

    /** The log position of the last commit applied from the cluster's log, -1 when none was. */
    public long lastPosition() {
        return pipeline.lastPosition();
    }

    @SuppressWarnings("unchecked")
    private <P> CommittedPlan<P> commitHere(CommitPlanner<P> planner, boolean exclusive) {
        CommitPipeline.Applied applied = await(pipeline.submit(planner, exclusive), "committing");
        return new CommittedPlan<>(applied.outcomes(), (P) applied.payload());
    }

    /**
     * Waits for the writer thread's answer, checking every second that it still runs: a commit never waits on a
     * pipeline that has stopped (503 naming why).
     */
    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            while (true) {
                try {
                    return future.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (!pipeline.isRunning() && !future.isDone()) {
                        throw pipeline.notRunning();
                    }
                }
            }
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw CommitPipeline.failure(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirException(503, IssueType.TRANSIENT, "interrupted while " + what);
        }
    }

    /**
     * Replaces the derived (index) entries of resources' current versions, atomically and in order with every other
     * commit, without creating a version, a transaction or a change-feed entry. A replacement whose resource has
     * moved on to another version (or was deleted) is skipped and returned: the write that moved it derived its own
     * entries. Returns once the replacements are durable.
     */
    public List<DerivedReplacement> replaceDerived(List<DerivedReplacement> replacements) {
        if (replacements.isEmpty()) {
            return List.of();
        }
        return await(pipeline.submitRefresh(replacements), "replacing derived entries");
    }

    /**
     * Up to {@code limit} live current versions of a type in id order, starting after {@code afterId} (null: from the
     * first). For walking a whole type in resumable steps.
     */
    public List<ResourceVersion> currentAfter(String type, String afterId, int limit) {
        ReadSet.read(type);
        byte[] prefix = Bytes.key(type);
        List<ResourceVersion> out = new ArrayList<>();
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor current = snapshot.cursor(ResourceKeyspaces.CURRENT)) {
            if (afterId == null) {
                current.seek(prefix);
            } else {
                byte[] from = ResourceKeyspaces.resourceKey(type, afterId);
                current.seek(from);
                if (current.isValid() && java.util.Arrays.equals(current.key(), from)) {
                    current.next();
                }
            }
            for (; current.isValid() && Bytes.startsWith(current.key(), prefix) && out.size() < limit;
                    current.next()) {
                byte[] key = current.key();
                String id = Bytes.utf8(key, prefix.length, key.length - 1);
                State state = State.decodeCurrent(current.value());
                if (!state.deleted()) {
                    snapshot.get(ResourceKeyspaces.VERSIONS, ResourceKeyspaces.versionKey(type, id, state.version()))
                            .map(v -> decode(type, id, state.version(), v))
                            .ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** How many resources of a type have a current entry (deleted ones included), counted up to {@code cap}. */
    public long countType(String type, long cap) {
        byte[] prefix = Bytes.key(type);
        long n = 0;
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor current = snapshot.cursor(ResourceKeyspaces.CURRENT)) {
            for (current.seek(prefix); current.isValid() && Bytes.startsWith(current.key(), prefix) && n < cap;
                    current.next()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Calls the listener with the outcomes of every commit once it is durable, in commit order, on the writer thread:
     * keep it cheap. Used to keep in-memory registries (custom search parameters) in step with the data.
     */
    public void addCommitListener(java.util.function.Consumer<List<WriteOutcome>> listener) {
        pipeline.addListener(listener);
    }

    /** The number of the last committed transaction; the change feed is ordered by it. */
    /** Reports every durable batch of the commit pipeline to {@code observer} (metrics); replaces the previous one. */
    public void observeCommits(CommitObserver observer) {
        pipeline.observe(observer);
    }

    /** Commits waiting for this node's writer thread. */
    public int commitQueueDepth() {
        return pipeline.queueDepth();
    }

    /** The last transaction number a store holds, read without opening a ResourceStore on it (offline tools). */
    public static long storedLastT(KvStore kv) {
        return kv.get(ResourceKeyspaces.META, ResourceKeyspaces.LAST_T)
                .map(v -> java.nio.ByteBuffer.wrap(v).getLong()).orElse(0L);
    }

    public long lastT() {
        return pipeline.lastT();
    }

    public KvSnapshot snapshot() {
        return kv.snapshot();
    }

    public HistoryPage history(HistoryQuery query) {
        query.type().ifPresentOrElse(ReadSet::read, ReadSet::readAll);
        if (query.count() <= 0) {
            return new HistoryPage(List.of(), Optional.empty());
        }
        try (KvSnapshot snapshot = kv.snapshot()) {
            if (query.id().isPresent()) {
                return instanceHistory(snapshot, query);
            }
            return feedHistory(snapshot, query);
        }
    }

    private HistoryPage instanceHistory(KvSnapshot snapshot, HistoryQuery query) {
        String type = query.type().orElseThrow();
        String id = query.id().orElseThrow();
        byte[] prefix = ResourceKeyspaces.resourceKey(type, id);
        long startBelow = query.before().map(HistoryCursor::version).orElse(Long.MAX_VALUE);
        List<ResourceVersion> versions = new ArrayList<>();
        Optional<HistoryCursor> next = Optional.empty();
        Instant newerLastUpdated = null;
        try (KvCursor cursor = snapshot.cursor(ResourceKeyspaces.VERSIONS)) {
            cursor.seekForPrev(ResourceKeyspaces.versionKey(type, id, Long.MAX_VALUE));
            for (; cursor.isValid() && Bytes.startsWith(cursor.key(), prefix); cursor.prev()) {
                long version = Bytes.readSortableLong(cursor.key(), prefix.length);
                byte[] value = cursor.value();
                Instant lastUpdated = ResourceKeyspaces.versionLastUpdated(value);
                Instant endOfLife = newerLastUpdated;
                newerLastUpdated = lastUpdated;
                if (version >= startBelow || !matches(lastUpdated, ResourceKeyspaces.versionDeleted(value), endOfLife,
                        query)) {
                    continue;
                }
                if (query.since().isPresent() && lastUpdated.isBefore(query.since().get())) {
                    break;
                }
                if (versions.size() == query.count()) {
                    ResourceVersion last = versions.get(versions.size() - 1);
                    next = Optional.of(new HistoryCursor(last.t(), type, id, last.version()));
                    break;
                }
                versions.add(decode(type, id, version, value)); // contents only of what the page holds
            }
        }
        return new HistoryPage(versions, next);
    }

    private HistoryPage feedHistory(KvSnapshot snapshot, HistoryQuery query) {
        boolean typed = query.type().isPresent();
        Keyspace keyspace = typed ? ResourceKeyspaces.TYPE_CHANGES : ResourceKeyspaces.CHANGES;
        byte[] prefix = typed ? Bytes.key(query.type().get()) : new byte[0];
        byte[] start;
        if (query.before().isPresent()) {
            HistoryCursor c = query.before().get();
            start = typed ? ResourceKeyspaces.typeChangeKey(c.type(), c.t(), c.id())
                    : ResourceKeyspaces.changeKey(c.t(), c.type(), c.id());
        } else {
            start = typed ? Bytes.key(query.type().get(), Long.MAX_VALUE) : Bytes.key(Long.MAX_VALUE);
        }
        List<ResourceVersion> versions = new ArrayList<>();
        Optional<HistoryCursor> next = Optional.empty();
        try (KvCursor cursor = snapshot.cursor(keyspace)) {
            cursor.seekForPrev(start);
            if (query.before().isPresent() && cursor.isValid() && java.util.Arrays.equals(cursor.key(), start)) {
                cursor.prev();
            }
            for (; cursor.isValid() && Bytes.startsWith(cursor.key(), prefix); cursor.prev()) {
                byte[] key = cursor.key();
                long t = Bytes.readSortableLong(key, prefix.length);
                String type;
                String id;
                if (typed) {
                    type = query.type().get();
                    id = Bytes.utf8(key, prefix.length + 8, key.length - 1);
                } else {
                    int sep = indexOf(key, 8);
                    type = Bytes.utf8(key, 8, sep);
                    id = Bytes.utf8(key, sep + 1, key.length - 1);
                }
                long version = java.nio.ByteBuffer.wrap(cursor.value()).getLong();
                long lastUpdatedMillis = java.nio.ByteBuffer.wrap(cursor.value()).getLong(8);
                if (query.since().isPresent() && lastUpdatedMillis < query.since().get().toEpochMilli()) {
                    break;
                }
                byte[] value = snapshot.get(ResourceKeyspaces.VERSIONS, ResourceKeyspaces.versionKey(type, id, version))
                        .orElse(null);
                if (value == null || !matches(ResourceKeyspaces.versionLastUpdated(value),
                        ResourceKeyspaces.versionDeleted(value), endOfLife(snapshot, type, id, version), query)) {
                    continue;
                }
                if (versions.size() == query.count()) {
                    ResourceVersion last = versions.get(versions.size() - 1);
                    next = Optional.of(new HistoryCursor(last.t(), last.type(), last.id(), last.version()));
                    break;
                }
                versions.add(decode(type, id, version, value));
            }
        }
        return new HistoryPage(versions, next);
    }

    /**
     * The change feed forwards: up to {@code limit} versions committed after transaction {@code afterT}, oldest first
     * (commit order; the writes of one transaction in key order, and never part of one: the last transaction is
     * completed past the limit). Deletions come with a null body. For consumers
     * that follow the feed with a durable cursor (subscriptions).
     */
    public List<ResourceVersion> changesAfter(long afterT, int limit) {
        return changesAfter(afterT, limit, type -> true).versions();
    }

    /**
     * A stretch of the change feed read for some resource types only ({@link #changesAfter(long, int, Predicate)}):
     * their versions, and the last transaction read, matching or not ({@code afterT} when the feed had nothing more),
     * from which the next read goes on.
     */
    public record ChangeBatch(List<ResourceVersion> versions, long readTo) {
    }

    /**
     * The change feed forwards, like {@link #changesAfter(long, int)}, for the types {@code wanted} accepts: the
     * versions of other types are passed over on the feed's keys without being read, so a follower that cares for a
     * few types does not read every write's contents. {@code limit} counts the versions returned; at most ten times as
     * many changes are passed over in one call.
     */
    public ChangeBatch changesAfter(long afterT, int limit, Predicate<String> wanted) {
        List<ResourceVersion> out = new ArrayList<>();
        long readTo = afterT;
        long scanned = 0;
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor cursor = snapshot.cursor(ResourceKeyspaces.CHANGES)) {
            for (cursor.seek(Bytes.key(afterT + 1)); cursor.isValid(); cursor.next()) {
                byte[] key = cursor.key();
                long t = Bytes.readSortableLong(key, 0);
                if ((out.size() >= limit || scanned >= 10L * limit) && t != readTo) {
                    break;
                }
                readTo = t;
                scanned++;
                int sep = indexOf(key, 8);
                String type = Bytes.utf8(key, 8, sep);
                if (!wanted.test(type)) {
                    continue;
                }
                String id = Bytes.utf8(key, sep + 1, key.length - 1);
                long version = java.nio.ByteBuffer.wrap(cursor.value()).getLong();
                ResourceVersion v = readVersionAt(snapshot, type, id, version);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return new ChangeBatch(out, readTo);
    }

    private ResourceVersion readVersionAt(KvSnapshot snapshot, String type, String id, long version) {
        return snapshot.get(ResourceKeyspaces.VERSIONS, ResourceKeyspaces.versionKey(type, id, version))
                .map(v -> decode(type, id, version, v)).orElse(null);
    }

    private static Instant endOfLife(KvSnapshot snapshot, String type, String id, long version) {
        return snapshot.get(ResourceKeyspaces.VERSIONS, ResourceKeyspaces.versionKey(type, id, version + 1))
                .map(ResourceKeyspaces::versionLastUpdated).orElse(null);
    }

    /** _at: the version was current at some point of [atStart, atEnd). */
    private static boolean matches(Instant lastUpdated, boolean deleted, Instant endOfLife, HistoryQuery query) {
        if (query.atStart().isEmpty()) {
            return true;
        }
        boolean bornBeforeEnd = lastUpdated.isBefore(query.atEnd().orElseThrow());
        boolean aliveAfterStart = endOfLife == null || endOfLife.isAfter(query.atStart().get());
        return bornBeforeEnd && aliveAfterStart && !deleted;
    }

    private static int indexOf(byte[] key, int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] == Bytes.SEPARATOR) {
                return i;
            }
        }
        return key.length;
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
