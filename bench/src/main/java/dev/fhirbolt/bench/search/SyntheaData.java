package dev.fhirbolt.bench.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.fhirbolt.bench.BenchClient;
import dev.fhirbolt.bench.Call;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Synthea data set (scripts/synthea.sh) loaded into the server under test, and what the search scenarios need to
 * know about it. Every resource is sent as {@code PUT [type]/[id]} with the id Synthea gave it (the urn:uuid of its
 * entry), after the organizations, locations and practitioners the patients refer to; references to urn:uuids and
 * Synthea's conditional references ({@code Organization?identifier=...}) are rewritten to {@code Type/id}. No
 * transaction support is needed and no request body comes near the server's body limit, whatever a bundle's size.
 */
public final class SyntheaData {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONCURRENCY = 16;
    private static final int SETTLE_SECONDS = 30;
    private static final Map<String, SyntheaData> LOADED = new HashMap<>();

    /** Facts gathered while loading. */
    public record Observation(String id, String patient, String code, String date) {
    }

    public record Encounter(String id, String patient) {
    }

    public record Condition(String patient, String code) {
    }

    final List<String> patients = new ArrayList<>();
    final Map<String, String> families = new HashMap<>();
    final List<Observation> observations = new ArrayList<>();
    final List<Encounter> encounters = new ArrayList<>();
    final List<Condition> conditions = new ArrayList<>();
    private final Map<String, String> byIdentifier = new HashMap<>();
    int resources;
    int patientFiles;
    private long sent;
    /** The patients of each file loaded, in load order. */
    final List<List<String>> patientsByFile = new ArrayList<>();

    private SyntheaData() {
    }

    /** Loads the set once per server (every search scenario of a run shares it). */
    public static synchronized SyntheaData load(BenchClient client, Path dir, int patients, PrintStream log)
            throws Exception {
        String key = client.baseUrl() + " " + dir + " " + patients;
        SyntheaData data = LOADED.get(key);
        if (data == null) {
            data = new SyntheaData();
            data.loadAll(client, dir, patients, log);
            LOADED.put(key, data);
        }
        return data;
    }

    /** The patient bundles used: {@code count} of them evenly spread over the sorted file names. */
    static List<Path> patientFiles(Path dir, int count) throws IOException {
        List<Path> all;
        try (Stream<Path> files = Files.list(dir)) {
            all = files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .filter(f -> !f.getFileName().toString().matches("(hospital|practitioner)Information.*"))
                    .sorted().toList();
        }
        if (count <= 0 || count >= all.size()) {
            return all;
        }
        List<Path> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            picked.add(all.get((int) ((long) i * all.size() / count)));
        }
        return picked;
    }

    private void loadAll(BenchClient client, Path dir, int count, PrintStream log) throws Exception {
        long started = System.nanoTime();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path shared : files.filter(f -> f.getFileName().toString()
                    .matches("(hospital|practitioner)Information.*\\.json")).sorted().toList()) {
                loadBundle(client, shared);
            }
        }
        List<Path> picked = patientFiles(dir, count);
        for (Path file : picked) {
            int before = patients.size();
            loadBundle(client, file);
            patientsByFile.add(List.copyOf(patients.subList(before, patients.size())));
            patientFiles++;
        }
        log.printf("synthea: loaded %,d resources of %d patients from %s in %.1f s%n", resources, patientFiles, dir,
                (System.nanoTime() - started) / 1e9);
        if (sent > 0) {
            // let the storage engine finish flushing and compacting what the load wrote before anything is measured
            log.printf("synthea: %d s of quiet before measuring%n", SETTLE_SECONDS);
            Thread.sleep(SETTLE_SECONDS * 1000L);
        }
    }

    /** Calls the visitor with each entry of a bundle, one at a time (bundles can be tens of MB). */
    @FunctionalInterface
    private interface EntryVisitor {
        void accept(JsonNode entry) throws Exception;
    }

    private static void entries(Path file, EntryVisitor visitor) throws Exception {
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(file.toFile())) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IOException(file + " is not a Bundle");
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("entry")) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                    visitor.accept(JSON.readTree(p));
                }
            }
        }
    }

    private void loadBundle(BenchClient client, Path file) throws Exception {
        Map<String, String> local = new HashMap<>();
        String[] last = new String[1];
        entries(file, entry -> {
            String fullUrl = entry.path("fullUrl").asText();
            if (fullUrl.startsWith("urn:uuid:")) {
                local.put(fullUrl, entry.path("resource").path("resourceType").asText() + "/" + fullUrl.substring(9));
                last[0] = local.get(fullUrl);
            }
        });
        // a server that already holds the bundle's last resource was loaded by an earlier run (--server): only read
        boolean loaded = last[0] != null && client.call(Call.get(last[0])).status() == 200;
        List<Call> puts = new ArrayList<>();
        entries(file, entry -> {
            ObjectNode resource = (ObjectNode) entry.path("resource");
            String type = resource.path("resourceType").asText();
            String fullUrl = entry.path("fullUrl").asText();
            String id = fullUrl.startsWith("urn:uuid:") ? fullUrl.substring(9) : resource.path("id").asText();
            resource.put("id", id);
            rewrite(resource, local);
            remember(type, id, resource);
            resources++;
            if (loaded) {
                return;
            }
            puts.add(new Call("PUT", type + "/" + id, JSON.writeValueAsBytes(resource), 201));
            if (puts.size() == 512) {
                send(client, puts);
            }
        });
        send(client, puts);
    }

    private void send(BenchClient client, List<Call> puts) throws Exception {
        List<BenchClient.Result> results = client.sendAll(puts.iterator(), CONCURRENCY);
        sent += puts.size();
        for (int i = 0; i < results.size(); i++) {
            int status = results.get(i).status();
            if (status != 201 && status != 200) {
                throw new IllegalStateException("PUT " + puts.get(i).path() + " answered " + status + " "
                        + results.get(i).body());
            }
        }
        puts.clear();
    }

    /** Rewrites urn:uuid and conditional references in place. */
    private void rewrite(JsonNode node, Map<String, String> local) {
        if (node.isObject()) {
            var fields = node.properties().iterator();
            while (fields.hasNext()) {
                var field = fields.next();
                JsonNode value = field.getValue();
                if (field.getKey().equals("reference") && value.isTextual()) {
                    String ref = value.asText();
                    String resolved = ref.startsWith("urn:uuid:") ? local.get(ref)
                            : ref.contains("?identifier=") ? byIdentifier.get(ref) : null;
                    if (resolved != null) {
                        field.setValue(TextNode.valueOf(resolved));
                    }
                } else {
                    rewrite(value, local);
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                rewrite(child, local);
            }
        }
    }

    private void remember(String type, String id, JsonNode r) {
        for (JsonNode identifier : r.path("identifier")) {
            byIdentifier.put(type + "?identifier=" + identifier.path("system").asText() + "|"
                    + identifier.path("value").asText(), type + "/" + id);
        }
        switch (type) {
            case "Patient" -> {
                patients.add(id);
                String family = r.path("name").path(0).path("family").asText();
                if (!family.isEmpty()) {
                    families.put(id, family);
                }
            }
            case "Observation" -> {
                JsonNode coding = r.path("code").path("coding").path(0);
                String date = r.path("effectiveDateTime").asText();
                if (coding.has("code") && !date.isEmpty()) {
                    observations.add(new Observation(id, patientOf(r), coding.path("system").asText() + "|"
                            + coding.path("code").asText(), date));
                }
            }
            case "Encounter" -> encounters.add(new Encounter(id, patientOf(r)));
            case "Condition" -> {
                JsonNode coding = r.path("code").path("coding").path(0);
                if (coding.has("code")) {
                    conditions.add(new Condition(patientOf(r), coding.path("code").asText()));
                }
            }
            default -> {
            }
        }
    }

    private static String patientOf(JsonNode r) {
        String ref = r.path("subject").path("reference").asText();
        return ref.startsWith("Patient/") ? ref.substring(8) : ref;
    }

    /**
     * The facts of only the patients of {@code count} files evenly spread over those loaded (0: all), so that a run
     * on a larger set can send exactly the queries of a run on a smaller one.
     */
    public SyntheaData restrictedTo(int count) {
        if (count <= 0 || count >= patientsByFile.size()) {
            return this;
        }
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            keep.addAll(patientsByFile.get((int) ((long) i * patientsByFile.size() / count)));
        }
        SyntheaData out = new SyntheaData();
        patients.stream().filter(keep::contains).forEach(out.patients::add);
        families.forEach((p, f) -> {
            if (keep.contains(p)) {
                out.families.put(p, f);
            }
        });
        observations.stream().filter(o -> keep.contains(o.patient())).forEach(out.observations::add);
        encounters.stream().filter(e -> keep.contains(e.patient())).forEach(out.encounters::add);
        conditions.stream().filter(c -> keep.contains(c.patient())).forEach(out.conditions::add);
        out.resources = resources;
        out.patientFiles = patientFiles;
        return out;
    }

    public int resources() {
        return resources;
    }

    public int patientFiles() {
        return patientFiles;
    }
}
