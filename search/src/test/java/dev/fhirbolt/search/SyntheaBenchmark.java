package dev.fhirbolt.search;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.fhir.StampableJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Manual measurement on a generated Synthea set: -Dsynthea.dir=/tmp/synthea-10/fhir. Skipped otherwise. Loads every
 * patient bundle under 20 MB (the surefire heap is 1 GB; urn:uuid references rewritten to Type/id) and times indexing and a few searches.
 */
class SyntheaBenchmark {

    private static final Pattern UUID_REF = Pattern.compile("\"urn:uuid:([0-9a-f-]{36})\"");

    @TempDir
    Path dir;

    @Test
    void loadAndSearch() throws Exception {
        String source = System.getProperty("synthea.dir");
        assumeTrue(source != null, "set -Dsynthea.dir to run");
        try (SearchFixture db = new SearchFixture(dir); Stream<Path> files = Files.list(Path.of(source))) {
            long indexNanos = 0;
            long commitNanos = 0;
            int count = 0;
            for (Path file : files.filter(f -> !f.getFileName().toString().matches("(hospital|practitioner).*"))
                    .filter(f -> f.toFile().length() < 20_000_000)
                    .sorted().toList()) {
                String json = Files.readString(file);
                Bundle bundle = (Bundle) ResourceReader.readStored(json.getBytes(StandardCharsets.UTF_8));
                java.util.Map<String, String> types = new java.util.HashMap<>();
                bundle.getEntry().forEach(e -> types.put(e.getFullUrl().replace("urn:uuid:", ""),
                        e.getResource().fhirType()));
                Matcher m = UUID_REF.matcher(json);
                json = m.replaceAll(r -> "\"" + types.getOrDefault(r.group(1), "Basic") + "/" + r.group(1) + "\"");
                bundle = (Bundle) ResourceReader.readStored(json.getBytes(StandardCharsets.UTF_8));
                List<Write> writes = new ArrayList<>();
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    Resource r = entry.getResource();
                    r.setId(entry.getFullUrl().replace("urn:uuid:", ""));
                    long t0 = System.nanoTime();
                    var derived = db.indexer.index(r);
                    indexNanos += System.nanoTime() - t0;
                    writes.add(new Write(WriteMethod.CREATE, r.fhirType(), r.getIdElement().getIdPart(),
                            Expectation.ABSENT, StampableJson.of(r), derived));
                    count++;
                    if (writes.size() == 500) {
                        long t1 = System.nanoTime();
                        db.store.commit(new Commit(writes));
                        commitNanos += System.nanoTime() - t1;
                        writes = new ArrayList<>();
                    }
                }
                long t1 = System.nanoTime();
                db.store.commit(new Commit(writes));
                commitNanos += System.nanoTime() - t1;
            }
            System.out.printf("loaded %d resources: index %.0f ms (%.0f us/resource), commit %.0f ms%n", count,
                    indexNanos / 1e6, indexNanos / 1e3 / count, commitNanos / 1e6);
            time(db, "Observation", "code", "http://loinc.org|8302-2");
            time(db, "Observation", "code", "http://loinc.org|8302-2", "date", "ge2020");
            time(db, "Observation", "code", "8302-2", "_sort", "-date", "_count", "10");
            time(db, "Observation", "category", "vital-signs", "_count", "50", "_include", "Observation:patient");
            time(db, "Patient", "_has:Observation:patient:code", "8302-2");
            time(db, "Observation", "patient.family", "Treutel973");
            time(db, "Observation", "value-quantity", "gt90000|http://unitsofmeasure.org|g");
            time(db, "Condition", "onset-date", "ge2015", "clinical-status", "active");
            time(db, "Encounter", "_count", "1", "_total", "accurate");
        }
    }

    private static void time(SearchFixture db, String type, String... params) {
        db.search(type, params);
        long t0 = System.nanoTime();
        int runs = 5;
        SearchResult r = null;
        for (int i = 0; i < runs; i++) {
            r = db.search(type, params);
        }
        System.out.printf("%-90s total=%-6s page=%-3d inc=%-3d %.1f ms%n", type + "?" + String.join("&", params)
                .replace("&=", "="), r.total().orElse(-1), r.matches().size(), r.includes().size(),
                (System.nanoTime() - t0) / 1e6 / runs);
    }
}
