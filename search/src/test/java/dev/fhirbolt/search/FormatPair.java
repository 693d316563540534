package dev.fhirbolt.search;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.reindex.Format6UpgradeTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Resource;

/**
 * The same resources indexed twice, in the current format and as format 6, to check that a search answers what its
 * parameters' own expressions match ({@code InMemoryMatch}) and what format 6 answered.
 */
final class FormatPair implements AutoCloseable {

    final SearchFixture db;
    final SearchFixture db6;
    private final Map<String, Resource> resources = new LinkedHashMap<>();

    FormatPair(Path dir, Path dir6) {
        db = new SearchFixture(dir);
        db6 = new SearchFixture(dir6);
    }

    /** Creates the resource (its id as given) in both. */
    void add(String json) {
        Resource r = ResourceReader.read(json.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        r.setId(r.getIdElement().getIdPart());
        db.create(r);
        db6.create(r);
        resources.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
    }

    /** Turns the second database's index into format 6; call once every resource is added. */
    void downgradeSecond() {
        Format6UpgradeTest.toFormat6(db6);
    }

    /**
     * Null when a search of {@code type} with {@code query} (name, value, ...) finds exactly the resources matched in
     * memory, in id order, and the format-6 index finds the same; else what each found. {@code extra}: result
     * parameters added to both searches (e.g. {@code _count}).
     */
    String disagreement(String type, List<String> query, String... extra) {
        Map<String, List<String>> params = SearchRequest.params(query.toArray(String[]::new));
        Set<String> expected = new TreeSet<>();
        for (Resource r : resources.values()) {
            if (r.fhirType().equals(type) && db.engine.matchesInMemory(r, params)
                    .orElseThrow(() -> new AssertionError("in memory: " + type + "?" + query))) {
                expected.add(r.getIdElement().getIdPart());
            }
        }
        List<String> args = new ArrayList<>(query);
        args.addAll(Arrays.asList(extra));
        List<String> found = db.ids(type, args.toArray(String[]::new));
        List<String> format6 = db6.ids(type, args.toArray(String[]::new));
        if (new ArrayList<>(expected).equals(found) && format6.equals(found)) {
            return null;
        }
        return type + "?" + query + ": expected " + expected + ", found " + found + ", in format 6 " + format6;
    }

    @Override
    public void close() {
        db.close();
        db6.close();
    }
}
