package dev.fhirbolt.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * Stored JSON is the same whether HAPI looks for references to contain or not: every Synthea fixture entry, parsed
 * as part of its Bundle (so its references are linked to the other entries), gives identical bytes both ways.
 */
class StampableJsonEncodingTest {

    @Test
    void skippingAutoContainmentChangesNoByte() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("../app/src/test/resources/synthea"))) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        files.add(Path.of("../search/src/test/resources/synthea-lavern.json"));
        int count = 0;
        Instant now = Instant.parse("2026-11-29T10:00:00Z");
        for (Path file : files) {
            Bundle bundle = (Bundle) ResourceReader.read(Files.readAllBytes(file), FhirFormat.JSON);
            int i = 0;
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource r = entry.getResource();
                if (i++ % 2 == 0) {
                    r.setId("id-" + i); // as a transaction does, while other entries keep their urn:uuid ids
                }
                String ordinary = new String(StampableJson.of(r, false).stamp(1, now), StandardCharsets.UTF_8);
                String fast = new String(StampableJson.of(r, true).stamp(1, now), StandardCharsets.UTF_8);
                assertEquals(ordinary, fast, file + " entry " + i);
                count++;
            }
        }
        assertEquals(true, count > 500, "entries compared: " + count);
    }

    @Test
    void containedResourcesAreStillEncoded() {
        Resource r = ResourceReader.read(("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":"
                + "\"x\"},\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"}],\"subject\":{\"reference\":"
                + "\"#p\"}}").getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        r.setId("o1");
        String json = new String(StampableJson.of(r).stamp(1, Instant.EPOCH), StandardCharsets.UTF_8);
        assertEquals(true, json.contains("\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\"}]"), json);
        assertEquals(true, json.contains("\"reference\":\"#p\""), json);
    }
}
