package dev.fhirbolt.search.reindex;

import dev.fhirbolt.database.DerivedReplacement;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.index.IndexKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-derives the search index entries of stored resources, for all types or some, without creating versions: after a
 * SearchParameter is added, changed or removed, or when the data was indexed with an older key format. Jobs run one
 * at a time, oldest first, on one background thread, in steps of {@value #STEP} resources; each step replaces the
 * entries through the commit pipeline ({@link ResourceStore#replaceDerived}), so it is serialized with writes, and
 * then records the job's position, so a restart resumes after the last step done.
 */
public final class ReindexService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReindexService.class);
    static final int STEP = 256;
    private static final int STALE_RETRIES = 3;
    private static final String FORMAT_UPGRADE = "index key format ";

    private final ResourceStore store;
    private final SearchIndexer indexer;
    private final ReindexJobStore jobs;
    private final Clock clock;
    private final Object signal = new Object();
    private final Thread worker;
    private volatile boolean stopping;
    /** An index-format upgrade is queued or running: indexes new in the format are not complete yet. */
    private volatile boolean upgrading;
    /** Told of every job a client requested (a cluster passes it on to the other nodes). */
    private volatile java.util.function.Consumer<ReindexJob> announcer = job -> { };

    /** Opens the job store on the store's key-value store; call {@link #start} to begin working. */
    public ReindexService(ResourceStore store, SearchIndexer indexer, Clock clock) {
        this.store = store;
        this.indexer = indexer;
        this.jobs = new ReindexJobStore(store.kv());
        this.clock = clock;
        this.worker = Thread.ofPlatform().name("fhirbolt-reindex").daemon(true).unstarted(this::work);
    }

    /**
     * Resumes unfinished jobs, and reindexes everything when the data was written with an older index key format
     * (until that job is done, {@link #upgrading} tells searches to keep off the indexes the new format adds).
     */
    public ReindexService start() {
        int format = jobs.format();
        if (format != IndexKeys.FORMAT) {
            if (store.lastT() == 0) {
                jobs.saveFormat(IndexKeys.FORMAT);
            } else {
                ReindexJob job = newJob(List.copyOf(Fhir.resourceTypes()),
                        FORMAT_UPGRADE + Math.max(1, format) + " -> " + IndexKeys.FORMAT);
                jobs.saveWithFormat(job, IndexKeys.FORMAT);
                LOG.warn("the search indexes were written in format {}; reindexing everything (job {})",
                        Math.max(1, format), job.id());
            }
        }
        upgrading = jobs.all().stream().anyMatch(j -> !j.finished() && j.reason().startsWith(FORMAT_UPGRADE));
        worker.start();
        return this;
    }

    /**
     * Whether an index-format upgrade is queued or running, so entries that the new format adds are missing for
     * resources not reindexed yet; searches then avoid the indexes that only the new format has.
     */
    public boolean upgrading() {
        return upgrading;
    }

    /** Queues a job for the given types (every type when empty) and returns it. */
    public ReindexJob submit(Collection<String> types, String reason) {
        return submit(UUID.randomUUID().toString(), types, reason);
    }

    /**
     * A job a client asked for ({@code $reindex}): queued here and announced ({@link #announceRequests}), so that in a
     * cluster every node runs it under the same id.
     */
    public ReindexJob request(Collection<String> types, String reason) {
        ReindexJob job = submit(types, reason);
        announcer.accept(job);
        return job;
    }

    /** Where requested jobs are announced; set once, before requests arrive. */
    public void announceRequests(java.util.function.Consumer<ReindexJob> announcer) {
        this.announcer = announcer;
    }

    /** Queues a job under the given id, unless one with that id is known already (then returns that one). */
    public synchronized ReindexJob submit(String id, Collection<String> types, String reason) {
        Optional<ReindexJob> known = jobs.find(id);
        if (known.isPresent()) {
            return known.get();
        }
        List<String> list = types.isEmpty() ? List.copyOf(Fhir.resourceTypes())
                : types.stream().distinct().sorted().toList();
        for (String type : list) {
            if (!Fhir.isResourceType(type)) {
                throw new IllegalArgumentException("unknown resource type " + type);
            }
        }
        ReindexJob job = newJob(id, list, reason);
        jobs.save(job);
        synchronized (signal) {
            signal.notifyAll();
        }
        return job;
    }

    /** A queued job; its total is counted when it starts (queuing stays cheap, e.g. inside a commit listener). */
    private ReindexJob newJob(List<String> types, String reason) {
        return newJob(UUID.randomUUID().toString(), types, reason);
    }

    private ReindexJob newJob(String id, List<String> types, String reason) {
        return new ReindexJob(id, types, reason, ReindexJob.Status.QUEUED, 0, null, 0, -1,
                clock.millis(), 0, null);
    }

    public Optional<ReindexJob> find(String id) {
        return jobs.find(id);
    }

    public List<ReindexJob> all() {
        return jobs.all();
    }

    /** Waits until the job has finished (for tests and the command line); false on timeout. */
    public boolean await(String id, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            if (jobs.find(id).map(ReindexJob::finished).orElse(true)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private void work() {
        while (!stopping) {
            Optional<ReindexJob> next = jobs.all().stream().filter(j -> !j.finished()).findFirst();
            if (next.isEmpty()) {
                synchronized (signal) {
                    try {
                        signal.wait(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                continue;
            }
            try {
                run(next.get());
            } catch (RuntimeException e) {
                LOG.error("reindex job {} failed", next.get().id(), e);
                jobs.save(jobs.find(next.get().id()).orElse(next.get()).failed(clock.millis(),
                        String.valueOf(e.getMessage())));
            }
        }
    }

    private void run(ReindexJob job) {
        if (job.total() < 0) {
            long total = 0;
            for (String type : job.types()) {
                total += store.countType(type, Long.MAX_VALUE);
            }
            job = job.withTotal(total);
        }
        if (job.status() == ReindexJob.Status.QUEUED) {
            LOG.info("reindex job {} started: {} ({} resources of {} types)", job.id(), job.reason(), job.total(),
                    job.types().size());
        } else {
            LOG.info("reindex job {} resumed at {}", job.id(), job.progress());
        }
        job = job.running();
        jobs.save(job);
        while (job.typeIndex() < job.types().size()) {
            if (stopping) {
                return;
            }
            String type = job.types().get(job.typeIndex());
            List<ResourceVersion> page = store.currentAfter(type, job.afterId(), STEP);
            if (page.isEmpty()) {
                job = job.nextType();
            } else {
                reindex(page);
                job = job.advanced(page.get(page.size() - 1).id(), page.size());
            }
            jobs.save(job);
        }
        if (job.reason().startsWith(FORMAT_UPGRADE)) {
            long removed = StaleSortKeys.remove(store.kv(), indexer.registry());
            LOG.info("reindex job {}: {} search-sort entries of an older format removed", job.id(), removed);
        }
        job = job.completed(clock.millis());
        jobs.save(job);
        if (job.reason().startsWith(FORMAT_UPGRADE)) {
            upgrading = false;
        }
        LOG.info("reindex job {} completed: {} resources", job.id(), job.done());
    }

    /**
     * Re-derives the entries of the current versions of these resources now, on the caller's thread (resources
     * deleted or unknown are skipped): for writes indexed before a search parameter change reached their writer.
     */
    public void reindexNow(String type, java.util.Collection<String> ids) {
        List<ResourceVersion> versions = new ArrayList<>(ids.size());
        for (String id : ids) {
            store.readCurrent(type, id).filter(v -> !v.deleted()).ifPresent(versions::add);
        }
        reindex(versions);
    }

    /** Replaces the entries of one step; resources updated meanwhile are read again (or were indexed by the update). */
    private void reindex(List<ResourceVersion> versions) {
        List<DerivedReplacement> replacements = replacements(versions);
        for (int attempt = 0; attempt < STALE_RETRIES && !replacements.isEmpty(); attempt++) {
            List<DerivedReplacement> stale = store.replaceDerived(replacements);
            List<ResourceVersion> again = new ArrayList<>();
            for (DerivedReplacement r : stale) {
                store.readCurrent(r.type(), r.id()).filter(v -> !v.deleted()).ifPresent(again::add);
            }
            replacements = replacements(again);
        }
    }

    private List<DerivedReplacement> replacements(List<ResourceVersion> versions) {
        List<DerivedReplacement> out = new ArrayList<>(versions.size());
        for (ResourceVersion v : versions) {
            try {
                Resource resource = ResourceReader.readStored(v.json());
                resource.setId(v.id());
                out.add(new DerivedReplacement(v.type(), v.id(), v.version(), indexer.index(resource)));
            } catch (RuntimeException e) {
                LOG.warn("{}/{} could not be reindexed: {}", v.type(), v.id(), e.getMessage());
            }
        }
        return out;
    }

    /** Stops after the current step; unfinished jobs resume on the next {@link #start}. */
    @Override
    public void close() {
        stopping = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        if (worker.isAlive()) {
            try {
                worker.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
