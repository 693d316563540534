package dev.fhirbolt.cluster;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPath;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.ReadSet;
import dev.fhirbolt.database.Replication;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.StalePlanException;
import dev.fhirbolt.database.WriteOutcome;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Resource commits in cluster mode: each goes through the log, and its answer is what this node's store made of it.
 * A planned commit (a conditional interaction, a transaction) is planned here on what this node has applied, with
 * the types it read recorded; if a commit logged before it (from any node) changed one of them after the transaction
 * it was planned on, every node refuses it and it is planned again on the newer state.
 *
 * <p>Several planned commits of this node are in flight at once ({@link #PIPELINE}): the next is planned while the
 * previous ones travel through the log and are applied, so a node's transactions overlap instead of waiting for each
 * other. A plan that turns out stale is planned again alone, once every other plan of this node has been applied (as
 * if this node planned one at a time), so heavy contention on one node cannot starve it.
 */
final class LoggedCommitPath implements CommitPath {

    /** How often a plan is made again before the request is answered 503: only under heavy contention. */
    static final int MAX_ATTEMPTS = 20;
    /** Planned commits of this node in flight at once (planned, not yet applied here). */
    static final int PIPELINE = 8;

    private final ResourceStore store;
    private final LogWriter writer;
    private final Clock clock;
    /** One permit per planned commit in flight; a replan takes them all. Fair, so a replan is not overtaken. */
    private final Semaphore inFlight = new Semaphore(PIPELINE, true);

    LoggedCommitPath(ResourceStore store, LogWriter writer, Clock clock) {
        this.store = store;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public <P> ResourceStore.CommittedPlan<P> commit(CommitPlanner<P> planner, boolean exclusive) {
        if (!exclusive) {
            CommitPlanner.Plan<P> plan = planner.plan();
            return new ResourceStore.CommittedPlan<>(send(plan.commit(), Replication.UNPLANNED, Set.of()),
                    plan.payload());
        }
        for (int attempt = 1; ; attempt++) {
            int permits = attempt == 1 ? 1 : PIPELINE;
            acquire(permits);
            try {
                long baseT = store.visibleT();
                CommitPlanner.Plan<P> plan;
                Set<String> read;
                ReadSet.start();
                try {
                    plan = planner.plan();
                } finally {
                    read = ReadSet.stop();
                }
                return new ResourceStore.CommittedPlan<>(send(plan.commit(), baseT, read), plan.payload());
            } catch (StalePlanException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new FhirException(503, IssueType.TRANSIENT, "other nodes kept changing the data this"
                            + " change depends on; it was tried " + MAX_ATTEMPTS + " times; try again");
                }
            } finally {
                inFlight.release(permits);
            }
        }
    }

    private void acquire(int permits) {
        try {
            inFlight.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FhirException(503, IssueType.TRANSIENT, "interrupted while waiting to plan the change");
        }
    }

    @SuppressWarnings("unchecked")
    private List<WriteOutcome> send(Commit commit, long baseT, Set<String> read) {
        if (commit.writes().isEmpty()) {
            return List.of();
        }
        Commit logged = commit.replicated(new Replication(-1, clock.instant(), baseT, read));
        return (List<WriteOutcome>) writer.submit(new LogCommand.ResourceCommit(writer.nextRequestId(), logged));
    }
}
