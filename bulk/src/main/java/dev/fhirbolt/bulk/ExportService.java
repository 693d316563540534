package dev.fhirbolt.bulk;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs export jobs in the background: accepts kick-offs (within each client's limit), runs them on a small worker
 * pool, resumes unfinished jobs after a restart (from the start: output is exact as of the job's transaction time),
 * cancels on request and deletes expired jobs with their files. Where files live is {@link ExportFiles}'s business
 * and which node runs a job {@link ExportClaims}'s: on one server both are local; in a cluster the job's state is in
 * the replicated store, its files in the shared content store, and a job whose node stopped is taken over.
 */
public final class ExportService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);
    /** How often a cluster node renews its claims and looks for jobs whose node stopped. */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private final ResourceStore store;
    private final ExportJobStore jobs;
    private final ExportRunner runner;
    private final ExportSettings settings;
    private final ExportFiles files;
    private final ExportClaims claims;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService cleaner;
    private final Map<String, ExportRunner.Progress> running = new ConcurrentHashMap<>();

    /** One server: jobs and files in this server's data directory. */
    public ExportService(ResourceStore store, ExportJobStore jobs, ExportSource source, ExportSettings settings,
            Clock clock) {
        this(store, jobs, source, settings, new LocalExportFiles(settings.directory()), ExportClaims.SINGLE, clock);
    }

    public ExportService(ResourceStore store, ExportJobStore jobs, ExportSource source, ExportSettings settings,
            ExportFiles files, ExportClaims claims, Clock clock) {
        this(store, jobs, source, settings, files, claims, clock, HEARTBEAT);
    }

    /** With claims renewed and watched every {@code heartbeat} (tests use short ones). */
    ExportService(ResourceStore store, ExportJobStore jobs, ExportSource source, ExportSettings settings,
            ExportFiles files, ExportClaims claims, Clock clock, Duration heartbeat) {
        this.store = store;
        this.jobs = jobs;
        this.runner = new ExportRunner(store, source);
        this.settings = settings;
        this.files = files;
        this.claims = claims;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(settings.workers(),
                Thread.ofPlatform().name("fhirbolt-export-", 1).daemon(true).factory());
        this.cleaner = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("fhirbolt-export-cleaner").daemon(true).factory());
        resumeUnfinished();
        cleaner.scheduleWithFixedDelay(this::deleteExpired, 1, 60, TimeUnit.SECONDS);
        if (claims.shared()) {
            cleaner.scheduleWithFixedDelay(this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    public ExportSettings settings() {
        return settings;
    }

    /** Accepts a job (429 beyond the owner's limit) and queues it. */
    public synchronized ExportJob kickOff(String owner, ExportSpec spec) {
        long active = jobs.all().stream().filter(j -> j.owner().equals(owner) && j.isActive()).count();
        if (active >= settings.maxActivePerOwner()) {
            throw new FhirException(429, IssueType.TOO_COSTLY, "this client already has " + active
                    + " export(s) running; wait for one to finish or cancel it");
        }
        long now = clock.millis();
        ExportJob job = new ExportJob(UUID.randomUUID().toString(), owner, spec, store.lastT(), now,
                ExportJob.Status.ACCEPTED, List.of(), null, now, null);
        claims.claim(job.id());
        jobs.save(job);
        submit(job);
        return job;
    }

    public Optional<ExportJob> find(String id) {
        return jobs.find(id);
    }

    /** What pollers see in X-Progress while the job runs. */
    public String progress(String id) {
        ExportRunner.Progress progress = running.get(id);
        if (progress != null) {
            return progress.describe();
        }
        return claims.progress(id).orElse("queued");
    }

    /** Cancels a job and deletes its files; later polls answer 404 (on every node). */
    public void cancel(ExportJob job) {
        jobs.delete(job.id());
        claims.release(job.id());
        ExportRunner.Progress progress = running.get(job.id());
        if (progress != null) {
            progress.cancelled.set(true);
        } else {
            deleteFiles(job);
        }
    }

    /** The file to download, on this node's disk; empty when the job has no such file. */
    public Optional<Path> file(ExportJob job, String name) throws IOException {
        return files.local(job.id(), name);
    }

    private void submit(ExportJob job) {
        ExportRunner.Progress progress = new ExportRunner.Progress();
        running.put(job.id(), progress);
        workers.submit(() -> run(job, progress));
    }

    private void run(ExportJob job, ExportRunner.Progress progress) {
        try {
            if (jobs.find(job.id()).isEmpty()) {
                return;
            }
            jobs.save(job.with(ExportJob.Status.RUNNING, List.of(), null, null));
            List<ExportJob.Output> outputs = runner.run(job, files.directory(job.id()), progress);
            for (ExportJob.Output output : outputs) {
                files.publish(job.id(), output.file());
            }
            if (jobs.find(job.id()).isPresent() && !progress.cancelled.get()) {
                jobs.save(job.with(ExportJob.Status.COMPLETED, outputs, null, clock.millis()));
                LOG.info("export {} completed: {} resources in {} files", job.id(), progress.resources.get(),
                        outputs.size());
            }
        } catch (ExportRunner.Cancelled e) {
            LOG.info("export {} cancelled", job.id());
            cleanUpIfCancelledByClient(job);
        } catch (Throwable e) {
            // any failure, an Error such as OutOfMemoryError included, fails the job (its status answers 500 with
            // the reason); the pool replaces a worker thread that an Error ended, so later jobs still run
            if (progress.cancelled.get()) {
                LOG.info("export {} cancelled", job.id());
                cleanUpIfCancelledByClient(job);
                return;
            }
            LOG.error("export {} failed", job.id(), e);
            markFailed(job, e);
        } finally {
            running.remove(job.id());
        }
    }

    private void markFailed(ExportJob job, Throwable e) {
        try {
            if (jobs.find(job.id()).isPresent()) {
                jobs.save(job.with(ExportJob.Status.FAILED, List.of(), "the export failed: "
                        + (e instanceof IOException || e instanceof RuntimeException ? e.getMessage()
                                : e.getClass().getSimpleName() + ": " + e.getMessage()), clock.millis()));
            }
        } catch (RuntimeException saving) {
            LOG.error("export {} failed and its state could not be saved either", job.id(), saving);
        }
    }

    /** A client's cancel removed the job; a shutdown leaves it (and its files are redone on restart). */
    private void cleanUpIfCancelledByClient(ExportJob job) {
        if (jobs.find(job.id()).isEmpty()) {
            deleteFiles(job);
        }
    }

    private void resumeUnfinished() {
        for (ExportJob job : jobs.all()) {
            if (job.isActive() && claims.resumesHere(job.id())) {
                LOG.info("resuming export {} after restart", job.id());
                deleteFiles(job);
                submit(job);
            }
        }
    }

    /**
     * In a cluster: renews the claims of the jobs this node runs (stopping one another node took or a client cancelled
     * through another node), and takes over unfinished jobs whose node has stopped renewing its claim.
     */
    private void heartbeat() {
        try {
            for (Map.Entry<String, ExportRunner.Progress> run : running.entrySet()) {
                String id = run.getKey();
                if (jobs.find(id).isEmpty() || !claims.renew(id, run.getValue().describe())) {
                    LOG.info("export {} was cancelled or taken over elsewhere; stopping here", id);
                    run.getValue().cancelled.set(true);
                }
            }
            for (ExportJob job : jobs.all()) {
                if (job.isActive() && !running.containsKey(job.id()) && claims.takeOver(job.id())) {
                    LOG.warn("export {}: the node running it stopped renewing its claim; this node runs it again",
                            job.id());
                    submit(job); // the runner rewrites every file: same bytes, the output is exact as of the job's t
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not renew or check export claims: {}", e.getMessage());
        }
    }

    private void deleteExpired() {
        try {
            long cutoff = clock.millis() - settings.retention().toMillis();
            for (ExportJob job : jobs.all()) {
                long finished = job.finishedMillis() == null ? Long.MAX_VALUE : job.finishedMillis();
                if (!job.isActive() && finished < cutoff) {
                    jobs.delete(job.id());
                    claims.release(job.id());
                    deleteFiles(job);
                    LOG.info("export {} expired; its files were deleted", job.id());
                }
            }
            if (claims.shared()) {
                for (String id : files.jobsHeld()) {
                    if (!running.containsKey(id) && jobs.find(id).isEmpty()) {
                        files.delete(id, List.of()); // the job was cancelled or expired through another node
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not delete expired exports", e);
        }
    }

    private void deleteFiles(ExportJob job) {
        files.delete(job.id(), job.outputs().stream().map(ExportJob.Output::file).toList());
    }

    @Override
    public void close() {
        running.values().forEach(p -> p.cancelled.set(true));
        cleaner.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
