package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditPageTest {

    @Test
    void eventsAreCountedPerHourOverTwoDaysAtMostElsePerDayWithEmptyBuckets() {
        List<BarChart.Bar> hours = AuditPage.buckets(List.of(Instant.parse("2026-12-07T06:10:00Z"),
                Instant.parse("2026-12-07T06:50:00Z"), Instant.parse("2026-12-07T09:05:00Z")));
        assertEquals(List.of(new BarChart.Bar("2026-12-07 06:00", 2), new BarChart.Bar("2026-12-07 07:00", 0),
                new BarChart.Bar("2026-12-07 08:00", 0), new BarChart.Bar("2026-12-07 09:00", 1)), hours);
        List<BarChart.Bar> days = AuditPage.buckets(List.of(Instant.parse("2026-12-01T06:10:00Z"),
                Instant.parse("2026-12-07T06:50:00Z")));
        assertEquals(7, days.size());
        assertEquals(new BarChart.Bar("2026-12-01", 1), days.get(0));
        assertTrue(AuditPage.buckets(List.of()).isEmpty());
    }

    @Test
    void theChartHasABarPerBucketAndEscapesItsTitle() {
        String svg = BarChart.svg("<events>", List.of(new BarChart.Bar("a", 3), new BarChart.Bar("b", 0)));
        assertEquals(2, svg.split("<rect class=\"bar\"", -1).length - 1);
        assertTrue(svg.contains("&lt;events&gt;") && !svg.contains("<events>"));
    }
}
