package dev.fhirbolt.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many resources of each type a user can see: one {@code _summary=count} search per type through the FHIR API
 * (so scopes apply), run side by side. Counts are kept per access (the user and the scope their token carries; with
 * security off, one set for everyone) and shown from memory: when they are older than {@link #KEEP} the page still
 * gets them at once and they are counted again in the background for the next look. Only the first look of an access
 * waits, a short budget; counts that come later are kept for the page's script to fetch.
 */
final class TypeCounts {

    private static final Duration KEEP = Duration.ofSeconds(30);
    /** How long a page waits for counts: short for the first paint, longer when the page's script asks again. */
    static final long FIRST_PAINT_MILLIS = 200;
    static final long SECOND_LOOK_MILLIS = 5_000;
    /** Shown for a type whose count was refused (scopes) or failed. */
    static final long REFUSED = -1;
    private static final ExecutorService POOL = Executors.newVirtualThreadPerTaskExecutor();
    /** Counting queries in flight at once, across users: enough to overlap, few enough not to take every server thread. */
    private static final java.util.concurrent.Semaphore IN_FLIGHT = new java.util.concurrent.Semaphore(8);

    /** One counting of every type: started at, the counts so far, done when all are in. */
    private record Counting(Instant at, Map<String, Long> counts, CompletableFuture<Void> done) {
    }

    /** The counts shown (the newest complete counting, or the first one while it runs) and a recount under way. */
    private record Known(Counting shown, Counting recount) {
    }

    private final Clock clock;
    private final Map<String, Known> byAccess = new ConcurrentHashMap<>();

    /** Whose counts a visit sees: the same key for the same user and scope, {@code ""} with security off. */
    static String access(Visit v) {
        Session.User who = v.secured() && v.session() != null ? v.session().user() : null;
        return who == null ? "" : who.name() + "\n" + who.fhirUser() + "\n" + who.scope();
    }

    TypeCounts(Clock clock) {
        this.clock = clock;
    }

    /**
     * The count of every type in the given order (null where it is not known yet, -1 where refused).
     *
     * @param access who is counting: the same key for the same user and scope, {@code ""} with security off
     */
    Map<String, Long> counts(String access, FhirClient fhir, List<String> types, long budgetMillis) {
        Known known = byAccess.compute(access, (k, was) -> next(was, fhir, types));
        Counting c = known.shown();
        if (!c.done().isDone()) {
            try {
                c.done().get(budgetMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // the rest are counted in the background
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof FhirClient.SignInNeeded s) {
                    byAccess.remove(access);
                    throw s;
                }
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String type : types) {
            out.put(type, c.counts().get(type));
        }
        return out;
    }

    /** What to show next: the first counting, a finished recount promoted, or a recount started when stale. */
    private Known next(Known was, FhirClient fhir, List<String> types) {
        if (was == null) {
            if (byAccess.size() > 1000) {
                byAccess.clear();
            }
            return new Known(start(fhir, types), null);
        }
        Counting shown = was.shown();
        Counting recount = was.recount();
        if (recount != null && recount.done().isDone() && !recount.done().isCompletedExceptionally()) {
            shown = recount;
            recount = null;
        } else if (recount != null && recount.done().isDone()) {
            recount = null; // failed (signed out, say): try again below when stale
        }
        boolean stale = shown.at().plus(KEEP).isBefore(clock.instant());
        if (stale && recount == null && shown.done().isDone()) {
            recount = start(fhir, types);
        }
        return new Known(shown, recount);
    }

    private Counting start(FhirClient fhir, List<String> types) {
        Map<String, Long> counts = new ConcurrentHashMap<>();
        CompletableFuture<?>[] all = new CompletableFuture<?>[types.size()];
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i);
            all[i] = CompletableFuture.runAsync(() -> {
                try {
                    IN_FLIGHT.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    counts.put(type, fhir.get("/" + type + "?_summary=count&_total=accurate").path("total")
                            .asLong(0));
                } catch (ConsoleException e) {
                    counts.put(type, REFUSED);
                } finally {
                    IN_FLIGHT.release();
                }
            }, POOL);
        }
        return new Counting(clock.instant(), counts, CompletableFuture.allOf(all));
    }
}
