package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Counts are kept per access and shown from memory; stale ones are recounted in the background for the next look. */
class TypeCountsTest {

    private volatile Instant now = Instant.parse("2026-12-07T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    /** A FHIR API whose every type holds {@code patients} resources, counting the counting searches it answers. */
    private final AtomicLong patients = new AtomicLong(3);
    private final AtomicLong searches = new AtomicLong();
    private final FhirClient fhir = new FhirClient(call -> {
        searches.incrementAndGet();
        String json = "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":" + patients.get() + "}";
        return new FhirGateway.Reply(200, Map.of(), json.getBytes(StandardCharsets.UTF_8));
    }, null, null, "http://fhir.test", clock);

    @Test
    void stale_counts_are_shown_at_once_and_recounted_for_the_next_look() throws Exception {
        TypeCounts counts = new TypeCounts(clock);
        List<String> types = List.of("Patient");
        assertEquals(3L, counts.counts("", fhir, types, 5_000).get("Patient"), "the first look waits");
        assertEquals(3L, counts.counts("", fhir, types, 5_000).get("Patient"));
        assertEquals(1, searches.get(), "kept: no second count within 30 s");

        patients.set(4);
        now = now.plus(Duration.ofSeconds(31));
        assertEquals(3L, counts.counts("", fhir, types, 0).get("Patient"), "stale counts are shown, not waited for");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long shown = 3;
        while (shown == 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            shown = counts.counts("", fhir, types, 0).get("Patient");
        }
        assertEquals(4L, shown, "the recount is shown on a later look");
        assertEquals(2, searches.get());
    }

    @Test
    void each_access_has_its_own_counts() {
        TypeCounts counts = new TypeCounts(clock);
        counts.counts("alice\nPatient/a\npatient/*.rs", fhir, List.of("Patient"), 5_000);
        counts.counts("bob\nPractitioner/b\nuser/*.rs", fhir, List.of("Patient"), 5_000);
        assertEquals(2, searches.get());
    }
}
