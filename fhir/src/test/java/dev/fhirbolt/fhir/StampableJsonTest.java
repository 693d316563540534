package dev.fhirbolt.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.common.FhirException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class StampableJsonTest {

    @Test
    void stampsVersionAndLastUpdatedIntoStoredJson() {
        Patient patient = (Patient) ResourceReader.read(
                "{\"resourceType\":\"Patient\",\"meta\":{\"versionId\":\"9\",\"tag\":[{\"code\":\"x\"}]},\"active\":true}"
                        .getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        patient.setId("p1");
        byte[] stored = StampableJson.of(patient).stamp(3, Instant.parse("2026-01-02T03:04:05.678Z"));
        String json = new String(stored, StandardCharsets.UTF_8);
        assertEquals("{\"resourceType\":\"Patient\",\"id\":\"p1\",\"meta\":{\"versionId\":\"3\","
                + "\"lastUpdated\":\"2026-01-02T03:04:05.678Z\",\"tag\":[{\"code\":\"x\"}]},\"active\":true}", json);
        Patient back = (Patient) ResourceReader.read(stored, FhirFormat.JSON);
        assertEquals("3", back.getMeta().getVersionId());
    }

    @Test
    void writesInstantsAsTheIsoFormatterDoes() {
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(java.time.ZoneOffset.UTC);
        java.util.Random random = new java.util.Random(7);
        java.util.List<Instant> instants = new java.util.ArrayList<>(java.util.List.of(Instant.EPOCH,
                Instant.parse("2026-01-02T03:04:05.678Z"), Instant.parse("2024-02-29T23:59:59.999999999Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
                Instant.parse("1969-12-31T23:59:59.001Z"), Instant.parse("+10000-01-01T00:00:00Z")));
        for (int i = 0; i < 10_000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L),
                    random.nextInt(1_000_000_000)));
        }
        for (Instant instant : instants) {
            assertEquals(iso.format(instant), StampableJson.formatInstant(instant), instant.toString());
        }
    }

    @Test
    void rejectsUnknownElementsAndBadPrimitives() {
        FhirException unknown = assertThrows(FhirException.class, () -> ResourceReader.read(
                "{\"resourceType\":\"Patient\",\"foo\":1}".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
        assertTrue(unknown.getMessage().contains("foo"), unknown.getMessage());
        FhirException date = assertThrows(FhirException.class, () -> ResourceReader.read(
                "{\"resourceType\":\"Patient\",\"birthDate\":\"yesterday\"}".getBytes(StandardCharsets.UTF_8),
                FhirFormat.JSON));
        assertEquals(400, date.status());
        assertThrows(FhirException.class, () -> ResourceReader.read(
                "{\"resourceType\":\"Patient\",".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
        assertThrows(FhirException.class, () -> ResourceReader.read(
                "{\"resourceType\":\"Banana\"}".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
    }
}
