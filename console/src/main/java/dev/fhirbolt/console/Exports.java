package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The {@code $export} jobs started from the console, newest first: whose they are and where to poll them. Kept in a
 * {@link StateFile} (the jobs themselves live in the server and survive a restart too).
 */
final class Exports {

    static final int KEEP = 50;
    private final Deque<Job> jobs = new ConcurrentLinkedDeque<>();
    private final Clock clock;
    private final StateFile state;

    Exports(Clock clock) {
        this(clock, StateFile.none());
    }

    Exports(Clock clock, StateFile state) {
        this.clock = clock;
        this.state = state;
        for (JsonNode j : state.read().path("exports")) {
            jobs.addLast(new Job(j.path("jobId").asText(), j.path("owner").asText(), j.path("level").asText(),
                    j.path("pollPath").asText(), Instant.parse(j.path("started").asText(clock.instant().toString()))));
        }
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
        ObjectNode doc = JsonTexts.object();
        ArrayNode list = doc.putArray("exports");
        for (Job saved : jobs) {
            list.addObject().put("jobId", saved.jobId()).put("owner", saved.owner()).put("level", saved.level())
                    .put("pollPath", saved.pollPath()).put("started", saved.started().toString());
        }
        state.write(doc);
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
