package dev.fhirbolt.bulk;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs export jobs in the background: accepts kick-offs (within each client's limit), runs them on a small worker
 * pool, resumes unfinished jobs after a restart (from the start: output is exact as of the job's transaction time),
 * cancels on request and deletes expired jobs with their files.
 */
public final class ExportService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);

    private final ResourceStore store;
    private final ExportJobStore jobs;
    private final ExportRunner runner;
    private final ExportSettings settings;
    private final Clock clock;
    private final ExecutorService workers;
    private final ScheduledExecutorService cleaner;
    private final Map<String, ExportRunner.Progress> running = new ConcurrentHashMap<>();

    public ExportService(ResourceStore store, ExportJobStore jobs, ExportSource source, ExportSettings settings,
            Clock clock) {
        this.store = store;
        this.jobs = jobs;
        this.runner = new ExportRunner(store, source);
        this.settings = settings;
        this.clock = clock;
        this.workers = Executors.newFixedThreadPool(settings.workers(),
                Thread.ofPlatform().name("fhirbolt-export-", 1).daemon(true).factory());
        this.cleaner = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("fhirbolt-export-cleaner").daemon(true).factory());
        resumeUnfinished();
        cleaner.scheduleWithFixedDelay(this::deleteExpired, 1, 60, TimeUnit.SECONDS);
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
        return progress == null ? "queued" : progress.describe();
    }

    /** Cancels a job and deletes its files; later polls answer 404. */
    public void cancel(ExportJob job) {
        jobs.delete(job.id());
        ExportRunner.Progress progress = running.get(job.id());
        if (progress != null) {
            progress.cancelled.set(true);
        } else {
            deleteFiles(job.id());
        }
    }

    public Path file(ExportJob job, String name) {
        return directory(job.id()).resolve(name);
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
            List<ExportJob.Output> outputs = runner.run(job, directory(job.id()), progress);
            if (jobs.find(job.id()).isPresent()) {
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
            deleteFiles(job.id());
        }
    }

    private void resumeUnfinished() {
        for (ExportJob job : jobs.all()) {
            if (job.isActive()) {
                LOG.info("resuming export {} after restart", job.id());
                deleteFiles(job.id());
                submit(job);
            }
        }
    }

    private void deleteExpired() {
        try {
            long cutoff = clock.millis() - settings.retention().toMillis();
            for (ExportJob job : jobs.all()) {
                long finished = job.finishedMillis() == null ? Long.MAX_VALUE : job.finishedMillis();
                if (!job.isActive() && finished < cutoff) {
                    jobs.delete(job.id());
                    deleteFiles(job.id());
                    LOG.info("export {} expired; its files were deleted", job.id());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not delete expired exports", e);
        }
    }

    private Path directory(String jobId) {
        return settings.directory().resolve(jobId);
    }

    private void deleteFiles(String jobId) {
        Path dir = directory(jobId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("could not delete {}", dir, e);
        }
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
