package dev.fhirbolt.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/** The {@code $export} jobs started from the console, newest first: whose they are and where to poll them. */
final class Exports {

    static final int KEEP = 50;
    private final Deque<Job> jobs = new ConcurrentLinkedDeque<>();
    private final Clock clock;

    Exports(Clock clock) {
        this.clock = clock;
    }

    /** @param pollPath the status URL's path and query below the server root */
    record Job(String jobId, String owner, String level, String pollPath, Instant started) {
    }

    Job add(String jobId, String owner, String level, String pollPath) {
        Job j = new Job(jobId, owner, level, pollPath, clock.instant());
        jobs.addFirst(j);
        while (jobs.size() > KEEP) {
            jobs.pollLast();
        }
        return j;
    }

    Job find(String jobId, String owner) {
        for (Job j : jobs) {
            if (j.jobId().equals(jobId) && j.owner().equals(owner)) {
                return j;
            }
        }
        return null;
    }

    List<Job> of(String owner) {
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) {
            if (j.owner().equals(owner)) {
                out.add(j);
            }
        }
        return out;
    }
}
