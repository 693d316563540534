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
 * (so scopes apply), run side by side. The page waits a short budget; counts that come later are kept for the next
 * look, as are all of them for a little while, so that the dashboard paints fast.
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

    private record Counting(Instant at, Map<String, Long> counts, CompletableFuture<Void> done) {
    }

    private final Clock clock;
    private final Map<String, Counting> byUser = new ConcurrentHashMap<>();

    TypeCounts(Clock clock) {
        this.clock = clock;
    }

    /** The count of every type in the given order (null where it is not known yet, -1 where refused). */
    Map<String, Long> counts(String user, FhirClient fhir, List<String> types, long budgetMillis) {
        Counting c = byUser.get(user);
        if (c == null || c.at().plus(KEEP).isBefore(clock.instant())) {
            c = start(fhir, types);
            if (byUser.size() > 1000) {
                byUser.clear();
            }
            byUser.put(user, c);
        }
        try {
            c.done().get(budgetMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the rest are counted in the background
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof FhirClient.SignInNeeded s) {
                byUser.remove(user);
                throw s;
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String type : types) {
            out.put(type, c.counts().get(type));
        }
        return out;
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
