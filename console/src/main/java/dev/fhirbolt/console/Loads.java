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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data loads started from the console (uploads and generated demo data), newest first, the last {@link #KEEP}:
 * the data page polls one for its progress and the dashboard lists them. The list is kept in a {@link StateFile} when
 * a load starts and when it ends, so it survives a restart; a load that was running then is listed as interrupted.
 */
final class Loads {

    static final int KEEP = 50;
    static final String INTERRUPTED = "Interrupted by a restart of the server.";
    private final Deque<Load> loads = new ConcurrentLinkedDeque<>();
    private final Clock clock;
    private final StateFile state;

    Loads(Clock clock) {
        this(clock, StateFile.none());
    }

    Loads(Clock clock, StateFile state) {
        this.clock = clock;
        this.state = state;
        for (JsonNode saved : state.read().path("loads")) {
            Load l = new Load(saved.path("id").asText(), saved.path("owner").asText(), saved.path("name").asText(),
                    Instant.parse(saved.path("started").asText(clock.instant().toString())));
            l.committed.set(saved.path("committed").asLong());
            l.failed.set(saved.path("failed").asLong());
            l.bytes.set(saved.path("bytes").asLong());
            boolean finished = saved.hasNonNull("finished");
            l.finished = finished ? Instant.parse(saved.path("finished").asText()) : clock.instant();
            l.message = finished ? saved.path("message").asText("") : INTERRUPTED;
            loads.addLast(l);
        }
    }

    /** One load: resources committed and failed so far, and whether it has finished. */
    static final class Load {
        final String id;
        final String owner;
        final String name;
        final Instant started;
        final AtomicLong committed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        /** Bytes of the upload whose resources have been sent and answered. */
        final AtomicLong bytes = new AtomicLong();
        private volatile Instant finished;
        private volatile String message = "";

        Load(String id, String owner, String name, Instant started) {
            this.id = id;
            this.owner = owner;
            this.name = name;
            this.started = started;
        }

        boolean running() {
            return finished == null;
        }

        String message() {
            return message;
        }

        Instant finished() {
            return finished;
        }

        ObjectNode saved() {
            ObjectNode o = JsonTexts.object();
            o.put("id", id).put("owner", owner).put("name", name).put("started", started.toString())
                    .put("committed", committed.get()).put("failed", failed.get()).put("bytes", bytes.get())
                    .put("finished", finished == null ? null : finished.toString()).put("message", message);
            return o;
        }

        String json() {
            return JsonTexts.of("id", id, "name", name, "committed", committed.get(), "failed", failed.get(),
                    "bytes", bytes.get(), "done", !running(), "message", message);
        }
    }

    /** Starts a load; an id the owner already used is refused (409). */
    Load start(String id, String owner, String name) {
        if (find(id, owner) != null) {
            throw new ConsoleException(409, "A load with the id " + id + " exists already.");
        }
        Load l = new Load(id, owner, name, clock.instant());
        loads.addFirst(l);
        while (loads.size() > KEEP) {
            loads.pollLast();
        }
        save();
        return l;
    }

    void finish(Load l, String message) {
        l.message = message;
        l.finished = clock.instant();
        save();
    }

    private void save() {
        ObjectNode doc = JsonTexts.object();
        ArrayNode list = doc.putArray("loads");
        loads.forEach(l -> list.add(l.saved()));
        state.write(doc);
    }

    Load find(String id, String owner) {
        for (Load l : loads) {
            if (l.id.equals(id) && l.owner.equals(owner)) {
                return l;
            }
        }
        return null;
    }

    /** The owner's loads, newest first. */
    List<Load> of(String owner) {
        List<Load> out = new ArrayList<>();
        for (Load l : loads) {
            if (l.owner.equals(owner)) {
                out.add(l);
            }
        }
        return out;
    }
}
