package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.app.load.LoadCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.chrome.ChromeDriver;
import picocli.CommandLine;

/**
 * The console's first paint with a Synthea set, measured in Chromium with the Performance API (the navigation's
 * responseStart and the first-contentful-paint entry): a bench, run on demand with
 * {@code -Dfhirbolt.console.paint.data=/work/data/synthea-10-42} (a directory of Synthea bundles, loaded offline
 * first); {@code -Dfhirbolt.console.paint.report=FILE} writes the table. Each page is opened three times and the
 * last two are reported (the first builds caches such as the CapabilityStatement); {@code
 * -Dfhirbolt.console.paint.keep=DIR} loads into DIR once and reuses it.
 */
class ConsolePaintTest {

    @Test
    void everyPagePaintsQuickly() throws Exception {
        String data = System.getProperty("fhirbolt.console.paint.data");
        Assumptions.assumeTrue(data != null, "a bench: set -Dfhirbolt.console.paint.data=DIR of Synthea bundles");
        Assumptions.assumeTrue(Chromium.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        String keep = System.getProperty("fhirbolt.console.paint.keep");
        Path dir = keep == null ? Files.createTempDirectory("fhirbolt-paint") : Path.of(keep);
        if (!Files.exists(dir.resolve("loaded-by-paint-test"))) {
            assertEquals(0, new CommandLine(new LoadCommand()).execute("--data-dir", dir.toString(), "--no-progress",
                    data));
            Files.writeString(dir.resolve("loaded-by-paint-test"), data);
        }
        try (TestServer server = TestServer.start(dir, Map.of())) {
            String patient = firstId(server, "/Patient?_count=1&_elements=id&_sort=-birthdate"); // the youngest
            String observation = firstId(server, "/Observation?code=29463-7&_count=1&_elements=id");
            List<String> pages = List.of("/console/", "/console/search", "/console/search/Patient",
                    "/console/search/Observation?code=29463-7", "/console/resource/Patient/" + patient,
                    "/console/resource/Observation/" + observation, "/console/patient/" + patient,
                    "/console/fhir/metadata", "/console/data", "/console/edit/Patient/" + patient,
                    "/console/transaction", "/console/admin");
            ChromeDriver driver = Chromium.start();
            List<String> rows = new ArrayList<>();
            rows.add("| page | response start (ms) | first contentful paint (ms) |");
            rows.add("|---|---|---|");
            try {
                for (String page : pages) {
                    try {
                        driver.get(server.base + page); // the first visit builds caches
                    } catch (org.openqa.selenium.TimeoutException e) {
                        // measured below
                    }
                    StringBuilder start = new StringBuilder();
                    StringBuilder paint = new StringBuilder();
                    for (int i = 0; i < 2; i++) {
                        try {
                            driver.get(server.base + page);
                            Object[] t = timings(driver);
                            start.append(i == 0 ? "" : " / ").append(t[0]);
                            paint.append(i == 0 ? "" : " / ").append(t[1]);
                        } catch (org.openqa.selenium.TimeoutException e) {
                            start.append(i == 0 ? "" : " / ").append("over 30 s");
                            paint.append(i == 0 ? "" : " / ").append("-");
                        }
                    }
                    rows.add("| `" + page.replace(patient, "{patient}").replace(observation, "{obs}") + "` | "
                            + start + " | " + paint + " |");
                    System.out.println(rows.get(rows.size() - 1));
                }
            } finally {
                driver.quit();
            }
            String table = String.join("\n", rows);
            System.out.println(table);
            String report = System.getProperty("fhirbolt.console.paint.report");
            if (report != null) {
                Files.writeString(Path.of(report), table + "\n");
            }
            assertTrue(rows.size() == pages.size() + 2);
        }
    }

    private static Object[] timings(ChromeDriver driver) {
        @SuppressWarnings("unchecked")
        List<Object> t = (List<Object>) driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "var n = performance.getEntriesByType('navigation')[0];"
                + "function report(p) { done([Math.round(n.responseStart), p ? Math.round(p.startTime) : -1]); }"
                + "var p = performance.getEntriesByName('first-contentful-paint')[0];"
                + "if (p) { report(p); return; }"
                + "new PerformanceObserver(function (l) { report(l.getEntriesByName('first-contentful-paint')[0]); })"
                + ".observe({type: 'paint', buffered: true});"
                + "setTimeout(function () { report(null); }, 5000);");
        return t.toArray();
    }

    private static String firstId(TestServer server, String query) throws Exception {
        String body = server.get(query, "Accept", "application/fhir+json").body();
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        return node.path("entry").path(0).path("resource").path("id").asText();
    }
}
