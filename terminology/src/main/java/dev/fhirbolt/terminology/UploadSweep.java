package dev.fhirbolt.terminology;

import dev.fhirbolt.database.ResourceStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes the records of uploads that no CodeSystem names and that are not going on: those of an upload cut short by
 * a stop or a kill of the server before its CodeSystem was committed, and those a kill left between the commit that
 * stopped naming an upload and {@link UploadJanitor}'s deletion. It works on this node's store only, like the janitor
 * (every node of a cluster holds the same records and applies the same commits, and sweeps its own store).
 *
 * <p>The rule for "not going on". An upload's writer keeps a marker beside its records ({@link UploadMarker}),
 * written before the first concept and touched at least every second while concepts arrive and once more when they
 * are complete; an upload is abandoned when its marker was last touched longer ago than the grace period (15 minutes
 * by default). The period has to cover what an upload may spend without touching it: a body that stops arriving
 * (closed after {@code idle-timeout-ms}), and the write of the CodeSystem after the last concept (in a cluster bounded
 * by {@code cluster-apply-timeout-ms}); it covers ordinary clock differences between the nodes of a cluster too,
 * since the marker holds the writing node's time. On one server (no other writer: the data directory is locked), the
 * uploads whose records are in the store when it opens, before it takes requests, are abandoned at once unless
 * named, so the start-up sweep needs no grace. Records without a marker (written by a version before markers) are
 * given one, stamped now, and swept once the grace period has passed. Whatever the marker says, an upload that a
 * current CodeSystem names (its own, or another's copied extension) is never swept; historical versions do not count,
 * since terminology reads current versions only (the janitor deletes a replaced upload as well). In a cluster the
 * node catches up with the log first, so it judges with every commit acknowledged before the sweep began.
 *
 * <p>When: once at start-up, in the background (nothing waits for it), then every {@code interval} (none when zero).
 * Deletion is in batches of a few MB ({@link BatchedWrites}), one upload after another; each swept upload is logged.
 */
public final class UploadSweep implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadSweep.class);

    /** One upload swept: its id and the number of records deleted. */
    public record Swept(String upload, long records) {
    }

    private final ResourceStore store;
    private final ConceptStore concepts;
    private final Clock clock;
    private final Duration grace;
    private final Runnable catchUp;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("terminology-upload-sweep").daemon(true).unstarted(r));
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong sweptUploads = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong sweptRecords = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param concepts this node's concept store (deletes are local)
     * @param catchUp  in a cluster, waits until this node has applied the log as it stands (null on one server: this
     *                 server is the only writer of its store)
     */
    UploadSweep(ResourceStore store, ConceptStore concepts, Clock clock, Duration grace, Runnable catchUp) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period cannot be negative: " + grace);
        }
        this.store = store;
        this.concepts = concepts;
        this.clock = clock;
        this.grace = grace;
        this.catchUp = catchUp;
    }

    /**
     * Notes the uploads in the store now (call it before the server takes requests), then sweeps in the background at
     * once and every {@code interval} after (zero: at start-up only).
     */
    void start(Duration interval) {
        Set<String> atStart = catchUp == null ? concepts.storedUploads() : Set.of();
        scheduler.execute(() -> sweepQuietly(atStart));
        if (!interval.isZero() && !interval.isNegative()) {
            long millis = interval.toMillis();
            scheduler.scheduleWithFixedDelay(() -> sweepQuietly(Set.of()), millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void sweepQuietly(Set<String> deadAtStart) {
        if (closed) {
            return;
        }
        try {
            sweep(deadAtStart);
        } catch (RuntimeException e) {
            LOG.warn("terminology: sweeping abandoned uploads failed; tried again at the next sweep: {}", e.toString());
        }
    }

    /** One sweep now, by the grace rule: the uploads swept. */
    public List<Swept> sweep() {
        return sweep(Set.of());
    }

    private synchronized List<Swept> sweep(Set<String> deadAtStart) {
        List<String> candidates = new ArrayList<>();
        for (String id : concepts.storedUploads()) {
            if (deadAtStart.contains(id)) {
                candidates.add(id);
                continue;
            }
            Optional<UploadMarker> marker = concepts.marker(id);
            long now = clock.millis();
            if (marker.isEmpty()) {
                concepts.markLocally(id, new UploadMarker(now, now)); // swept one grace period from now
            } else if (stale(marker.get(), now)) {
                candidates.add(id);
            }
        }
        if (candidates.isEmpty()) {
            return List.of();
        }
        if (catchUp != null) {
            catchUp.run();
        }
        Set<String> named = named();
        List<Swept> swept = new ArrayList<>();
        for (String id : candidates) {
            if (closed || named.contains(id)) {
                continue;
            }
            Optional<UploadMarker> marker = concepts.marker(id);
            if (!deadAtStart.contains(id) && (marker.isEmpty() || !stale(marker.get(), clock.millis()))) {
                continue; // deleted or touched meanwhile
            }
            long records = concepts.deleteLocally(id);
            LOG.info("terminology: swept upload {}: {} records deleted (named by no CodeSystem; {})", id, records,
                    marker.map(m -> "written from " + Instant.ofEpochMilli(m.startedMillis()) + " to "
                            + Instant.ofEpochMilli(m.touchedMillis())).orElse("no marker"));
            sweptUploads.incrementAndGet();
            sweptRecords.addAndGet(records);
            swept.add(new Swept(id, records));
        }
        return swept;
    }

    /** The uploads swept since this server started. */
    public long sweptUploads() {
        return sweptUploads.get();
    }

    /** The records those uploads had. */
    public long sweptRecords() {
        return sweptRecords.get();
    }

    private boolean stale(UploadMarker marker, long now) {
        return now - marker.touchedMillis() >= grace.toMillis();
    }

    /** The uploads the current CodeSystems name. */
    private Set<String> named() {
        Set<String> named = new HashSet<>();
        store.scanType("CodeSystem", Long.MAX_VALUE, v -> UploadJanitor.uploadOf(v.json()).ifPresent(named::add));
        return named;
    }

    /** Stops sweeping: a sweep under way ends after the upload it is deleting (the store must still be open). */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(1, TimeUnit.MINUTES)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
