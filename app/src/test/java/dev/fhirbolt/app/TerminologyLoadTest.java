package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.Fhir;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fhirbolt terminology load} of a 50,000-concept CSV, then operations and search over it. */
class TerminologyLoadTest {

    static final String URL = "http://example.org/cs/generated";
    static final int CONCEPTS = 50_000;
    static final String[] WORDS = {"acute", "chronic", "left", "right", "upper", "lower", "fracture", "infection",
        "pain", "swelling", "of", "the", "arm", "leg", "knee", "hip", "lung", "heart", "liver", "kidney"};

    /** code C0..Cn, each below C(i/10): a tree five levels deep; displays of three generated words. */
    static Path csv(Path dir, int n) throws Exception {
        Path file = dir.resolve("generated.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("code,display,parent,status\n");
            for (int i = 0; i < n; i++) {
                String display = WORDS[i % 7] + " " + WORDS[7 + i / 7 % 6] + " \"" + WORDS[13 + i / 42 % 7] + "\" " + i;
                w.write("C" + i + ",\"" + display.replace("\"", "\"\"") + "\"," + (i == 0 ? "" : "C" + i / 10) + ","
                        + (i % 1000 == 999 ? "retired" : "") + "\n");
            }
        }
        return file;
    }

    @Test
    void loadsALargeCsvOverHttpAndServesItFromTheIndex(@TempDir Path dir) throws Exception {
        Path file = csv(dir, CONCEPTS);
        try (TestServer server = TestServer.start()) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            int code;
            try {
                System.setErr(new PrintStream(err, true));
                code = new CommandLine(new Main()).execute("terminology", "load", file.toString(), "--url", URL,
                        "--server", server.base, "--version", "2026");
            } finally {
                System.setErr(old);
            }
            assertEquals(0, code, err.toString());
            assertTrue(err.toString().contains("loaded 50,000 concepts as CodeSystem/generated"), err.toString());

            String vs = URLEncoder.encode(URL + "?fhir_vs", StandardCharsets.UTF_8);
            HttpResponse<String> r = server.get("/ValueSet/$expand?url=" + vs + "&filter=chronic%20kne&count=5");
            assertEquals(200, r.statusCode(), r.body());
            ValueSet expansion = (ValueSet) Fhir.context().newJsonParser().parseResource(r.body());
            // i % 7 == 1 and i / 42 % 7 == 1: one in 49
            assertTrue(expansion.getExpansion().getTotal() > 900 && expansion.getExpansion().getTotal() < 1100,
                    r.body());
            assertEquals(5, expansion.getExpansion().getContains().size());
            assertTrue(expansion.getExpansion().getContains().get(0).getDisplay().startsWith("chronic"));

            HttpResponse<String> below = server.get("/ValueSet/$expand?url="
                    + URLEncoder.encode(URL + "?fhir_vs=isa/C12", StandardCharsets.UTF_8) + "&count=1000");
            assertTrue(below.body().contains("\"total\":111"), below.body()); // C12, C120-129, C1200-1299

            assertTrue(server.get("/CodeSystem/$validate-code?url=" + URLEncoder.encode(URL, StandardCharsets.UTF_8)
                    + "&code=C49999").body().contains("\"valueBoolean\":true"));
            String lookup = server.get("/CodeSystem/$lookup?system=" + URLEncoder.encode(URL, StandardCharsets.UTF_8)
                    + "&code=C4999").body();
            assertTrue(lookup.contains("\"valueCode\":\"C499\"") && lookup.contains("retired"), lookup);
            String active = server.get("/ValueSet/$expand?url=" + vs + "&filter=C4999&activeOnly=true").body();
            // C4999 and C49999 are retired; C49990..C49998 are not
            assertTrue(active.contains("\"total\":9") && !active.contains("\"code\":\"C4999\""), active);
        }
    }
}
