package dev.fhirbolt.cluster;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.ContentSource;
import dev.fhirbolt.database.VersionedBody;
import dev.fhirbolt.database.Write;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * A cluster node's resource contents: they live in the content store (inside the log command that carried them), and
 * this node keeps the most recently used ones in memory, bounded by bytes. Filled when the node applies a command
 * (it has the contents decoded then) and on a miss, which fetches the whole command from the content store: the other
 * resources written with the one asked for (a patient's bundle) usually follow.
 */
public final class ContentCache implements ContentSource {

    /** Memory a cached body costs besides its bytes (the entry, the key, the body object). */
    private static final int ENTRY_OVERHEAD = 160;
    /** The longest a read waits for a command from the content store (which bounds each request itself). */
    private static final Duration FETCH_PATIENCE = Duration.ofSeconds(30);

    private final ContentStore store;
    private final LogCodec codec;
    private final Cache<ContentRef, VersionedBody> cache;
    /** Commands being fetched, so that concurrent misses on one command fetch it once. */
    private final ConcurrentHashMap<ContentRef.Key, CompletableFuture<List<List<VersionedBody>>>> fetching =
            new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder fetches = new LongAdder();
    private final LongAdder fetchFailures = new LongAdder();
    private final LongAdder fetchNanos = new LongAdder();

    /** {@code bodies} rebuilds a body from its template (as the log's applier does); {@code maxBytes} bounds memory. */
    public ContentCache(ContentStore store, Function<byte[], VersionedBody> bodies, long maxBytes) {
        this.store = store;
        this.codec = new LogCodec(bodies);
        this.cache = Caffeine.newBuilder().maximumWeight(Math.max(0, maxBytes))
                .weigher((ContentRef ref, VersionedBody body) -> ENTRY_OVERHEAD
                        + body.template().map(t -> t.length).orElse(0))
                .executor(Runnable::run)
                .build();
    }

    /** How the cache has done so far (for metrics). */
    public record Stats(long hits, long misses, long fetches, long fetchFailures, double fetchSeconds, long bytes,
            long entries) {
    }

    public Stats stats() {
        long bytes = cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
        return new Stats(hits.sum(), misses.sum(), fetches.sum(), fetchFailures.sum(), fetchNanos.sum() / 1e9, bytes,
                cache.estimatedSize());
    }

    /**
     * The commit with each body replaced by one this node's store keeps as a reference to the command stored under
     * {@code key} (as its {@code member}, see {@link ContentRef}); the bodies go into the cache, so reads right after
     * the apply need no fetch.
     */
    Commit referenced(byte[] key, int member, Commit commit) {
        List<Write> writes = new ArrayList<>(commit.writes().size());
        for (int i = 0; i < commit.writes().size(); i++) {
            Write w = commit.writes().get(i);
            if (w.body() == null) {
                writes.add(w);
                continue;
            }
            ContentRef ref = new ContentRef(key, member, i);
            cache.put(ref, w.body());
            writes.add(new Write(w.method(), w.type(), w.id(), w.expectation(), new ReferencedBody(w.body(), ref),
                    w.derived()));
        }
        return new Commit(writes, commit.replication());
    }

    @Override
    public byte[] resolve(byte[] reference, long version, Instant lastUpdated) {
        ContentRef ref = ContentRef.decode(reference);
        VersionedBody body = cache.getIfPresent(ref);
        if (body != null) {
            hits.increment();
        } else {
            misses.increment();
            body = fetch(ref);
        }
        return body.stamp(version, lastUpdated);
    }

    private VersionedBody fetch(ContentRef ref) {
        CompletableFuture<List<List<VersionedBody>>> mine = new CompletableFuture<>();
        CompletableFuture<List<List<VersionedBody>>> running = fetching.putIfAbsent(ref.command(), mine);
        if (running == null) {
            running = mine;
            load(ref.command(), mine);
        }
        List<List<VersionedBody>> members = await(running, ref);
        List<VersionedBody> bodies = ref.member() < members.size() ? members.get(ref.member()) : List.of();
        VersionedBody body = ref.index() < bodies.size() ? bodies.get(ref.index()) : null;
        if (body == null) {
            throw new FhirException(503, IssueType.EXCEPTION, "the content store's value " + ref.command()
                    + " has no resource at command " + ref.member() + ", write " + ref.index());
        }
        return body;
    }

    /**
     * Fetches a value (a command or a group of them), decodes it and caches every body in it; completes
     * {@code result} either way.
     */
    private void load(ContentRef.Key key, CompletableFuture<List<List<VersionedBody>>> result) {
        long start = System.nanoTime();
        fetches.increment();
        CompletableFuture<Optional<byte[]>> get;
        try {
            get = store.get(key.bytes());
        } catch (RuntimeException e) {
            get = CompletableFuture.failedFuture(e);
        }
        get.whenComplete((blob, failure) -> {
            fetchNanos.add(System.nanoTime() - start);
            fetching.remove(key, result);
            if (failure != null) {
                fetchFailures.increment();
                result.completeExceptionally(failure);
                return;
            }
            try {
                result.complete(cacheAll(key, blob.orElseThrow(() -> new IllegalStateException(
                        "the content store has no command " + key))));
            } catch (RuntimeException e) {
                fetchFailures.increment();
                result.completeExceptionally(e);
            }
        });
    }

    private List<List<VersionedBody>> cacheAll(ContentRef.Key key, byte[] blob) {
        List<List<VersionedBody>> members = codec.decodeMembers(blob);
        for (int m = 0; m < members.size(); m++) {
            List<VersionedBody> bodies = members.get(m);
            for (int i = 0; i < bodies.size(); i++) {
                if (bodies.get(i) != null) {
                    cache.put(new ContentRef(key, m, i), bodies.get(i));
                }
            }
        }
        return members;
    }

    private static List<List<VersionedBody>> await(CompletableFuture<List<List<VersionedBody>>> fetch,
            ContentRef ref) {
        try {
            return fetch.get(FETCH_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new FhirException(503, IssueType.TRANSIENT, "this resource's contents could not be read from the"
                    + " content store (" + (cause == null ? e : cause.getMessage()) + "); try again", null, cause);
        } catch (TimeoutException e) {
            throw new FhirException(503, IssueType.TIMEOUT, "the content store did not answer within "
                    + FETCH_PATIENCE.toSeconds() + " s; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirException(503, IssueType.TRANSIENT, "interrupted while reading from the content store");
        }
    }
}
