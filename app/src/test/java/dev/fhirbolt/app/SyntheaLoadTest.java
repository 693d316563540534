package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.app.load.HttpTarget;
import dev.fhirbolt.app.load.LoadTarget;
import dev.fhirbolt.app.load.Loader;
import dev.fhirbolt.app.load.OfflineTarget;
import dev.fhirbolt.database.ResourceKeyspaces;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Loads the committed Synthea sample (hospitals, practitioners, two patients) over HTTP and offline. */
class SyntheaLoadTest {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Path SAMPLE = Path.of("src/test/resources/synthea");

    @TempDir
    Path dir;

    /** Resources per type the sample must produce: every entry is a distinct resource. */
    static Map<String, Long> expectedCounts() throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        try (var files = Files.list(SAMPLE)) {
            for (Path f : files.toList()) {
                for (JsonNode e : MAPPER.readTree(f.toFile()).path("entry")) {
                    counts.merge(e.path("resource").path("resourceType").asText(), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    static Map<String, Long> storedCounts(ResourceStore store, List<ResourceVersion> all) {
        Map<String, Long> counts = new TreeMap<>();
        try (KvSnapshot snapshot = store.snapshot(); KvCursor c = snapshot.cursor(ResourceKeyspaces.CURRENT)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                byte[] key = c.key();
                int sep = 0;
                while (key[sep] != Bytes.SEPARATOR) {
                    sep++;
                }
                String type = Bytes.utf8(key, 0, sep);
                String id = Bytes.utf8(key, sep + 1, key.length - 1);
                ResourceVersion v = store.readCurrent(snapshot, type, id).orElseThrow();
                if (!v.deleted()) {
                    counts.merge(type, 1L, Long::sum);
                    all.add(v);
                }
            }
        }
        return counts;
    }

    /** Every reference in every stored resource points at a stored resource; none is left unresolved. */
    static int checkReferences(ResourceStore store, List<ResourceVersion> all) throws IOException {
        int checked = 0;
        for (ResourceVersion v : all) {
            List<String> refs = new ArrayList<>();
            collect(MAPPER.readTree(v.json()), refs);
            for (String ref : refs) {
                assertTrue(!ref.startsWith("urn:") && !ref.contains("?"), v.type() + "/" + v.id() + " -> " + ref);
                if (ref.startsWith("#")) {
                    continue;
                }
                String[] parts = ref.split("/");
                assertEquals(2, parts.length, ref);
                assertTrue(store.readCurrent(parts[0], parts[1]).filter(x -> !x.deleted()).isPresent(),
                        v.type() + "/" + v.id() + " refers to missing " + ref);
                checked++;
            }
        }
        return checked;
    }

    /**
     * The stored JSON (written from the request's tree) is what HAPI's encoder writes for it, up to the order of
     * object members: HAPI re-encoding what it parses from the stored bytes gives the same JSON tree.
     */
    static void assertStoredAsHapiEncodes(List<ResourceVersion> all) throws IOException {
        ObjectMapper exact = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
        for (ResourceVersion v : all) {
            String hapi = dev.fhirbolt.fhir.Fhir.context().newJsonParser()
                    .encodeResourceToString(dev.fhirbolt.fhir.ResourceReader.readStored(v.json()));
            assertEquals(exact.readTree(hapi), exact.readTree(v.json()), v.type() + "/" + v.id());
        }
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("reference") && e.getValue().isTextual()) {
                    refs.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, refs));
        }
    }

    private void verify(ResourceStore store, Loader.Summary summary) throws IOException {
        Map<String, Long> expected = expectedCounts();
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(0, summary.errorCount(), summary.errors().toString());
        assertEquals(total, summary.resources());
        List<ResourceVersion> all = new ArrayList<>();
        assertEquals(expected, storedCounts(store, all));
        int refs = checkReferences(store, all);
        assertTrue(refs > 1000, "checked " + refs + " references");
        assertStoredAsHapiEncodes(all);
        // a sample: an Encounter's practitioner is the one with the NPI the bundle named
        ResourceVersion encounter = all.stream().filter(v -> v.type().equals("Encounter")).findFirst().orElseThrow();
        String practitioner = MAPPER.readTree(encounter.json()).path("participant").get(0).path("individual")
                .path("reference").asText();
        JsonNode p = MAPPER.readTree(store.readCurrent("Practitioner", practitioner.substring(13)).orElseThrow()
                .json());
        assertEquals("http://hl7.org/fhir/sid/us-npi", p.path("identifier").get(0).path("system").asText());
        System.err.printf("loaded %d resources in %.2fs = %.0f resources/s (%s)%n", summary.resources(),
                summary.elapsed().toNanos() / 1e9, summary.resourcesPerSecond(), expected);
    }

    @Test
    void loadsTheSyntheaSampleOverHttp() throws Exception {
        try (TxServer server = TxServer.start(dir.resolve("http"));
                LoadTarget target = new HttpTarget(server.baseUrl)) {
            List<Path> files = Loader.collect(List.of(SAMPLE));
            assertTrue(files.get(0).getFileName().toString().startsWith("hospitalInformation"));
            assertTrue(files.get(1).getFileName().toString().startsWith("practitionerInformation"));
            Loader.Summary summary = new Loader(target, new Loader.Options(4, 500, false), System.err).load(files);
            verify(server.store, summary);
            // hospitals again: ifNoneExist finds them all, nothing new (Synthea's PractitionerRoles have no
            // ifNoneExist, so reloading practitioners would add them again)
            long t = server.store.lastT();
            Loader.Summary again = new Loader(target, new Loader.Options(4, 500, false), System.err)
                    .load(files.subList(0, 1));
            assertEquals(0, again.errorCount());
            assertEquals(t, server.store.lastT());
        }
    }

    @Test
    void loadsTheSyntheaSampleOffline() throws Exception {
        ServerConfig config = TxServer.config(dir.resolve("offline"), 50_000, 128L * 1024 * 1024);
        Loader.Summary summary;
        try (OfflineApi offline = OfflineApi.open(config);
                LoadTarget target = new OfflineTarget(offline.api(), "offline", null)) {
            summary = new Loader(target, new Loader.Options(4, 500, false), System.err)
                    .load(Loader.collect(List.of(SAMPLE)));
            verify(offline.store(), summary);
        }
    }

    @Test
    void offlineLoadingRefusesADataDirInUse() throws Exception {
        try (TxServer server = TxServer.start(dir.resolve("locked"))) {
            var e = assertThrows(OfflineApi.DataDirLockedException.class, () -> OfflineApi.open(server.config));
            assertTrue(e.getMessage().contains("in use by a running Fhirbolt server"), e.getMessage());
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            int code;
            try {
                System.setErr(new PrintStream(err, true));
                code = new CommandLine(new Main()).execute("load", "--data-dir",
                        server.config.dataDir().toString(), "--no-progress", SAMPLE.toString());
            } finally {
                System.setErr(old);
            }
            assertEquals(3, code);
            assertTrue(err.toString().contains("in use by a running Fhirbolt server"), err.toString());
        }
    }

    @Test
    void cliLoadsNdjsonOffline() throws Exception {
        Path ndjson = dir.resolve("Patient.ndjson");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 1234; i++) {
            lines.append("{\"resourceType\":\"Patient\",\"id\":\"nd-").append(i)
                    .append("\",\"name\":[{\"family\":\"N").append(i).append("\"}]}\n");
        }
        lines.append("{\"resourceType\":\"Patient\",\"id\":\"nd-bad\",\"birthDate\":\"never\"}\n");
        Files.writeString(ndjson, lines);
        Path data = dir.resolve("cli");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true));
            code = new CommandLine(new Main()).execute("load", "--data-dir", data.toString(), "--ndjson-batch",
                    "100", ndjson.toString());
        } finally {
            System.setErr(old);
        }
        String output = err.toString();
        assertEquals(1, code, output);
        assertTrue(output.contains("loaded 1,234 resources"), output);
        assertTrue(output.contains("Patient.ndjson line 1235"), output);
        try (OfflineApi offline = OfflineApi.open(TxServer.config(data, 10, 1000))) {
            assertTrue(offline.store().readCurrent("Patient", "nd-1233").isPresent());
        }
    }
}
