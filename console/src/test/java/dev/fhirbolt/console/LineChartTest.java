package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineChartTest {

    @Test
    void aSeriesIsAPolylineWithItsRangeAndDates() {
        String svg = LineChart.svg("Body weight <kg>", List.of(new LineChart.Series("Weight", "kg", List.of(
                new LineChart.Point(Instant.parse("2020-01-01T00:00:00Z"), 80),
                new LineChart.Point(Instant.parse("2021-01-01T00:00:00Z"), 76.5)))));
        assertTrue(svg.startsWith("<svg class=\"chart\""), svg);
        assertTrue(svg.contains("<title>Body weight &lt;kg&gt;</title>"), svg);
        assertEquals(1, svg.split("<polyline").length - 1);
        assertTrue(svg.contains(">2020-01-01<") && svg.contains(">2021-01-01<"), svg);
        assertEquals("", LineChart.svg("empty", List.of(new LineChart.Series("x", "", List.of()))));
    }
}
