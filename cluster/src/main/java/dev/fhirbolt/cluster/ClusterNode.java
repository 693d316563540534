package dev.fhirbolt.cluster;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.VersionedBody;
import dev.fhirbolt.storage.ConditionalKvStore;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.txlog.TxLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as one node of a cluster: it applies the shared transaction log to its own store, sends its writes
 * through the log, and serves reads from what it has applied. {@link #join} returns once the node has caught up with
 * the log as it stood when it started, so a new or restarted node answers like the others from its first request.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /**
     * {@code nodeId} names this node in request ids (unique among running nodes); {@code applyTimeout} bounds how long
     * a write waits for this node to apply it; {@code catchUpTimeout} how long a start or a read may wait to catch up.
     */
    public record Settings(String nodeId, Duration applyTimeout, Duration catchUpTimeout) {
    }

    private final LogEnd logEnd;
    private final LogWriter writer;
    private final LogApplier applier;
    private final Settings settings;

    private ClusterNode(TxLog log, LogWriter writer, LogApplier applier, Settings settings) {
        this.logEnd = new LogEnd(log);
        this.writer = writer;
        this.applier = applier;
        this.settings = settings;
    }

    /** The keyspaces the cluster keeps in each node's store, besides those of the layers it serves. */
    public static List<Keyspace> keyspaces() {
        return LogApplier.keyspaces();
    }

    /**
     * Starts applying the log to {@code store} (and, for key-value changes, {@code kv}), waits until this node has
     * caught up, then sends every later commit of {@code store} through the log. {@code bodies} rebuilds a resource
     * body from its template.
     */
    public static ClusterNode join(TxLog log, Optional<ContentStore> contents, ResourceStore store, KvStore kv,
            Function<byte[], VersionedBody> bodies, ClusterHealth health, Settings settings) {
        return join(log, contents, Optional.empty(), store, kv, bodies, health, settings);
    }

    /**
     * As above; with a {@code cache} (over {@code contents}) the node keeps resource contents in the content store:
     * every write is put there before it is logged, and this node's store keeps references that {@code cache}
     * resolves (the store must read through it: {@link ResourceStore#readContentsFrom}).
     */
    public static ClusterNode join(TxLog log, Optional<ContentStore> contents, Optional<ContentCache> cache,
            ResourceStore store, KvStore kv, Function<byte[], VersionedBody> bodies, ClusterHealth health,
            Settings settings) {
        String nodeId = settings.nodeId() + "@" + Long.toString(System.currentTimeMillis(), 36);
        LogCodec codec = new LogCodec(bodies);
        cache.ifPresent(store::readContentsFrom);
        LogWriter writer = new LogWriter(log, contents, cache.isPresent(), codec, nodeId, settings.applyTimeout());
        LogApplier applier = new LogApplier(log, contents, cache, codec, store, kv, writer, health);
        ClusterNode node = new ClusterNode(log, writer, applier, settings);
        applier.start();
        long target = log.lastPosition();
        LOG.info("node {} catching up with the transaction log: applied up to {}, the log ends at {}",
                settings.nodeId(), applier.appliedPosition(), target);
        if (!node.awaitApplied(target, settings.catchUpTimeout())) {
            applier.close();
            throw new IllegalStateException("this node did not catch up with the transaction log within "
                    + settings.catchUpTimeout().toSeconds() + " s (applied up to " + applier.appliedPosition()
                    + " of " + target + ")");
        }
        store.route(new LoggedCommitPath(store, writer, Clock.systemUTC()));
        LOG.info("node {} joined the cluster at log position {}", settings.nodeId(), applier.appliedPosition());
        return node;
    }

    /** A key-value store whose writes every node applies (for state that must be the same cluster-wide). */
    public ConditionalKvStore replicated(KvStore local) {
        return new LoggedKvStore(local, writer);
    }

    /** The log position up to which this node has applied. */
    public long appliedPosition() {
        return applier.appliedPosition();
    }

    /**
     * Waits until this node has applied everything the log held when this was called: a read after it sees every
     * write acknowledged by any node before. Fails with 503 when the log cannot be asked or the node is too far behind.
     */
    public void catchUp() {
        long target = freshEnd();
        if (!awaitApplied(target, settings.applyTimeout())) {
            throw new FhirException(503, IssueType.TRANSIENT, "this node is behind the transaction log (applied "
                    + applier.appliedPosition() + " of " + target + "); try again or read from another node");
        }
    }

    /**
     * Waits until this node has applied up to {@code position}, a position an earlier answer of some node gave (a
     * read-your-writes token): usually at once, without asking the log anything. Only a node still behind it after
     * {@link #TOKEN_PATIENCE} asks the log for its end, so that a position the log does not hold (made up, or from
     * another cluster) is refused with 400 instead of waiting; 503 when the node does not get there in time.
     */
    public void catchUpTo(long position) {
        if (applier.appliedPosition() >= position
                || awaitApplied(position, min(TOKEN_PATIENCE, settings.applyTimeout()))) {
            return;
        }
        long end = freshEnd();
        if (position > end) {
            throw new FhirException(400, IssueType.VALUE, "log position " + position + " is past the end of the"
                    + " transaction log (" + end + "): it was not given by this cluster");
        }
        if (!awaitApplied(position, settings.applyTimeout())) {
            throw new FhirException(503, IssueType.TRANSIENT, "this node is behind the transaction log (applied "
                    + applier.appliedPosition() + " of " + position + "); try again or read from another node");
        }
    }

    /** How long a read with a position waits before it checks that the log holds that position at all. */
    static final Duration TOKEN_PATIENCE = Duration.ofSeconds(1);

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The log's end as a look-up started after this call found it; 503 when the log does not say. */
    private long freshEnd() {
        try {
            return logEnd.fresh(settings.applyTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirException(503, IssueType.TRANSIENT, "interrupted while catching up with the log");
        } catch (RuntimeException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "the transaction log is unavailable: " + e.getMessage());
        }
    }

    /** Waits until this node has applied up to {@code position}; false when it did not within {@code timeout}. */
    public boolean awaitApplied(long position, Duration timeout) {
        try {
            return applier.awaitApplied(position, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops applying; the log and content store belong to whoever opened them. */
    @Override
    public void close() {
        logEnd.close();
        applier.close();
    }
}
