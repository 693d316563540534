package dev.fhirbolt.console;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data loads started from the console (uploads and generated demo data), newest first, the last {@link #KEEP}:
 * the data page polls one for its progress and the dashboard lists them.
 */
final class Loads {

    static final int KEEP = 50;
    private final Deque<Load> loads = new ConcurrentLinkedDeque<>();
    private final Clock clock;

    Loads(Clock clock) {
        this.clock = clock;
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
        return l;
    }

    void finish(Load l, String message) {
        l.message = message;
        l.finished = clock.instant();
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
