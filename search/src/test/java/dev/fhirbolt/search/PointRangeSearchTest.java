package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.query.IndexReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Points (quantities, numbers, instants) are one index entry each instead of a range's two: every prefix still finds
 * what the parameter's own expression matches ({@code InMemoryMatch}), at and around the search value's bounds, and
 * what the same data indexed as format 6 did (a point as a range, found by its L and H entries) gives.
 */
class PointRangeSearchTest {

    @TempDir
    static Path dir;
    @TempDir
    static Path dir6;
    static FormatPair pair;
    static SearchFixture db;
    static final double[] VALUES = {-3, 0, 0.5, 4.4, 4.5, 4.95, 5, 5.05, 5.5, 5.6, 10, 99.5, 100, 100.49, 100.5, 1e6};

    @BeforeAll
    static void load() {
        pair = new FormatPair(dir, dir6);
        db = pair.db;
        for (int i = 0; i < VALUES.length; i++) {
            double v = VALUES[i];
            pair.add(String.format("{\"resourceType\":\"Observation\",\"id\":\"o%02d\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"x\"},\"effectiveInstant\":\"2020-03-0%dT10:00:00.%03dZ\","
                    + "\"valueQuantity\":{\"value\":%s,\"unit\":\"milligram\",\"system\":\"http://unitsofmeasure.org\","
                    + "\"code\":\"mg\"}}", i, 1 + i % 3, i * 7, v));
            pair.add(String.format("{\"resourceType\":\"RiskAssessment\",\"id\":\"r%02d\",\"status\":\"final\","
                    + "\"subject\":{\"reference\":\"Patient/p\"},\"prediction\":[{\"probabilityDecimal\":%s}]}", i, v));
        }
        pair.add("{\"resourceType\":\"Observation\",\"id\":\"o-period\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"effectivePeriod\":{\"start\":\"2020-03-01T10:00:00.000Z\",\"end\":\"2020-03-02\"}}");
        pair.downgradeSecond();
    }

    @AfterAll
    static void close() {
        pair.close();
    }

    @Test
    void everyPrefixFindsThePointsItsDefinitionMatches() {
        List<String> failed = new ArrayList<>();
        int asked = 0;
        for (String prefix : List.of("", "eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")) {
            for (String value : List.of("-3", "0", "0.5", "5", "5.0", "5.5", "10", "100", "100.5", "1e6", "2000000")) {
                for (String unit : List.of("", "||mg", "|http://unitsofmeasure.org|mg", "||milligram",
                        "|http://unitsofmeasure.org|g")) {
                    String q = prefix + (unit.endsWith("|g")
                            ? new java.math.BigDecimal(value).movePointLeft(3).toPlainString() : value) + unit;
                    asked += check("Observation", "value-quantity", q, failed);
                }
                asked += check("RiskAssessment", "probability", prefix + value, failed);
            }
            for (String date : List.of("2020-03-01", "2020-03-02T10:00:00.007Z", "2020-03-02T10:00:00.006Z",
                    "2020-03-02T10:00:00.008Z", "2020-03-03T10:00:00Z", "2020-03-03T10:00:00.014Z", "2020")) {
                asked += check("Observation", "date", prefix + date, failed);
            }
        }
        assertEquals(List.of(), failed, "of " + asked);
    }

    private static int check(String type, String param, String value, List<String> failed) {
        String disagreement = pair.disagreement(type, List.of(param, value), "_count", "100");
        if (disagreement != null) {
            failed.add(disagreement);
        }
        return 1;
    }

    @Test
    void aPointIsOneEntryAndARangeTwo() {
        try (var snapshot = db.kv.snapshot(); var reader = new IndexReader(snapshot)) {
            List<Byte> kinds = new ArrayList<>();
            for (byte[] v : reader.values("Observation", "o06", "value-quantity")) {
                kinds.add(v[Encoded.rangeKindAt(v)]);
            }
            // no unit, mg, system|mg, milligram, and the canonical UCUM unit: one P each
            assertEquals(List.of((byte) 'P', (byte) 'P', (byte) 'P', (byte) 'P', (byte) 'P'), kinds);
            assertEquals(1, reader.values("Observation", "o06", "date").size(), "an instant is a point");
            assertEquals(1, reader.values("RiskAssessment", "r06", "probability").size());
            assertEquals(2, reader.values("Observation", "o-period", "date").size(), "a period is a range");
            assertEquals(1, reader.values("Observation", "o06", "_lastUpdated").size());
        }
    }

    @Test
    void lastUpdatedAndSortsByPoints() {
        List<String> all = db.ids("Observation", "_sort", "value-quantity", "_count", "100");
        assertEquals(List.of("o00", "o01", "o02", "o03", "o04", "o05", "o06", "o07", "o08", "o09", "o10", "o11",
                "o12", "o13", "o14", "o15", "o-period"), all);
        List<String> desc = db.ids("Observation", "_sort", "-value-quantity", "_count", "3");
        assertEquals(List.of("o15", "o14", "o13"), desc);
        assertEquals(17, db.ids("Observation", "_lastUpdated", "gt2000-01-01", "_count", "100").size());
        assertEquals(0, db.ids("Observation", "_lastUpdated", "lt2000-01-01", "_count", "100").size());
        assertEquals(List.of("o00"), db.ids("Observation", "_lastUpdated", "le2100-01-01", "_sort", "_lastUpdated",
                "_count", "1"));
    }
}
