package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's editing and data pages in headless Chromium (security off, so no sign-in): edit with a version
 * conflict, the validator's messages, delete refused for a referenced resource, a transaction, and axe-core on each
 * page. Set {@code -Dfhirbolt.screenshots=DIR} to save screenshots (docs/console.md shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleDataBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static ConsoleBrowser browser;
    private static TestServer server;
    private static ChromeDriver driver;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = ConsoleBrowser.start("fhirbolt-console-data", Map.of());
        server = browser.server;
        driver = browser.driver;
        base = browser.base;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String text(String id) {
        return browser.text(id);
    }

    private static void setValue(String id, String value) {
        driver.executeScript("document.getElementById(arguments[0]).value = arguments[1];", id, value);
    }

    private static void put(String path, String json) throws Exception {
        var r = server.send("PUT", path, json);
        assertTrue(r.statusCode() < 300, r.body());
    }

    private static void screenshot(ChromeDriver d, String name) throws Exception {
        ConsoleBrowser.screenshot(d, name);
    }

    /** Whether the diff has a line marked {@code mark} that contains {@code text}. */
    private static boolean changed(String diff, char mark, String text) {
        return diff.lines().anyMatch(l -> l.charAt(0) == mark && l.contains(text));
    }

    private static String patient(String family) {
        return "{\"resourceType\":\"Patient\",\"id\":\"ed-1\",\"name\":[{\"family\":\"" + family
                + "\",\"given\":[\"Edda\"]}],\"gender\":\"female\"}";
    }

    @Test
    @Order(1)
    void anEditThatCrossesAnotherChangeShowsTheConflictAndTheCurrentVersion() throws Exception {
        put("/Patient/ed-1", patient("First"));
        driver.get(base + "/console/resource/Patient/ed-1");
        driver.findElement(By.id("edit-link")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/console/edit/Patient/ed-1"));
        assertEquals("1", text("edit-version"));
        Axe.check(driver);
        put("/Patient/ed-1", patient("Theirs")); // someone else saves version 2 meanwhile
        setValue("json", patient("Mine"));
        driver.findElement(By.id("save")).click();
        assertTrue(text("problem-message").contains("Version conflict"), text("problem-message"));
        WebElement current = driver.findElement(By.id("current-version"));
        assertTrue(current.getAttribute("href").endsWith("/console/resource/Patient/ed-1/_history/2"),
                current.getAttribute("href"));
        String diff = text("diff");
        assertTrue(changed(diff, '-', "\"family\" : \"Theirs\"") && changed(diff, '+', "\"family\" : \"Mine\""),
                diff);
        assertTrue(server.get("/Patient/ed-1").body().contains("Theirs"), "the conflicting text was not saved");
        Axe.check(driver);
        screenshot(driver, "console-conflict");

        driver.findElement(By.id("edit-current")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBe(By.id("edit-version"), "2"));
        setValue("json", patient("Mine"));
        driver.findElement(By.id("save")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(base + "/console/resource/Patient/ed-1"));
        assertEquals("3", text("version"));
        driver.findElement(By.cssSelector("a.diff-link[href*='to=3']")).click();
        String changes = text("diff");
        assertTrue(changed(changes, '-', "\"family\" : \"Theirs\"") && changed(changes, '+',
                "\"family\" : \"Mine\""), changes);
        Axe.check(driver);
    }

    @Test
    @Order(2)
    void theValidatorsMessagesAreShownNextToTheForm() throws Exception {
        driver.get(base + "/console/search/Observation");
        driver.findElement(By.id("new-link")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(base + "/console/edit/Observation"));
        Axe.check(driver);
        setValue("json", "{\"resourceType\":\"Observation\",\"code\":{\"text\":\"Weight\"}}"); // no status
        driver.findElement(By.id("save")).click();
        assertTrue(text("problem-message").contains("validation"), text("problem-message"));
        assertTrue(text("issues").contains("status"), text("issues"));
        Axe.check(driver);
        setValue("json", "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"Weight\"},"
                + "\"subject\":{\"reference\":\"Patient/ed-1\"}}");
        driver.findElement(By.id("save")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/console/resource/Observation/"));
        assertEquals("1", text("version"));
    }

    @Test
    @Order(3)
    void aDeleteOfAReferencedResourceIsRefusedAndNamesTheReferrers() throws Exception {
        driver.get(base + "/console/resource/Patient/ed-1");
        driver.findElement(By.id("delete-link")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/console/delete/Patient/ed-1"));
        Axe.check(driver);
        driver.findElement(By.id("confirm-delete")).click();
        assertTrue(text("problem-message").contains("other resources refer"), text("problem-message"));
        WebElement referrer = driver.findElement(By.cssSelector("#referrers a"));
        assertTrue(referrer.getText().startsWith("Observation/"), referrer.getText());
        Axe.check(driver);
        referrer.click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/console/resource/Observation/"));
        driver.findElement(By.id("delete-link")).click();
        driver.findElement(By.id("confirm-delete")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(base + "/console/search/Observation"));
    }

    @Test
    @Order(4)
    void aPastedTransactionRunsAndItsResponseEntriesAreListed() throws Exception {
        driver.get(base + "/console/transaction");
        Axe.check(driver);
        setValue("bundle", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + "{\"fullUrl\":\"urn:uuid:1\",\"resource\":{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Tx\"}]},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}},"
                + "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"},"
                + "\"subject\":{\"reference\":\"urn:uuid:1\"}},\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}]}");
        driver.findElement(By.id("run-transaction")).click();
        String entries = text("entries");
        assertTrue(entries.contains("201") && entries.contains("Patient/") && entries.contains("Observation/"),
                entries);
        Axe.check(driver);
        screenshot(driver, "console-transaction");
    }

    @Test
    @Order(5)
    void uploadedFilesShowTheirProgressAndEndUpCommitted() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-upload");
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 4000; i++) {
            ndjson.append("{\"resourceType\":\"Patient\",\"id\":\"up-").append(i)
                    .append("\",\"name\":[{\"family\":\"Upload\",\"given\":[\"P").append(i).append("\"]}]}\n");
        }
        Path patients = Files.writeString(dir.resolve("Patient.ndjson"), ndjson);
        Path bundle = Files.writeString(dir.resolve("hospitalInformation1.json"), "{\"resourceType\":\"Bundle\","
                + "\"type\":\"batch\",\"entry\":[{\"resource\":{\"resourceType\":\"Organization\",\"name\":"
                + "\"General Hospital\"},\"request\":{\"method\":\"POST\",\"url\":\"Organization\"}}]}");
        driver.get(base + "/console/data");
        Axe.check(driver);
        // keep every state the progress line and bar go through
        driver.executeScript("window.seen = []; var s = document.getElementById('upload-status');"
                + "new MutationObserver(function () { window.seen.push([document.getElementById('upload-bar').value,"
                + " s.textContent]); }).observe(s, {childList: true, characterData: true, subtree: true});");
        driver.findElement(By.id("upload-files")).sendKeys(patients + "\n" + bundle);
        driver.findElement(By.id("upload-start")).click();
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(
                ExpectedConditions.attributeToBe(By.id("upload-status"), "data-done", "true"));
        String done = text("upload-status");
        assertTrue(done.startsWith("Done: 4001 resources committed from 2 files"), done);
        assertEquals("100", driver.findElement(By.id("upload-bar")).getAttribute("value"));
        @SuppressWarnings("unchecked")
        var seen = (java.util.List<java.util.List<Object>>) driver.executeScript("return window.seen;");
        assertTrue(seen.stream().anyMatch(e -> String.valueOf(e.get(1)).matches(
                "File 2 of 2 · ([1-9]\\d*) resources committed.*") && !String.valueOf(e.get(1)).contains(" 4001 ")),
                "the count of committed resources grew while the NDJSON file was loading: " + seen);
        assertTrue(seen.stream().anyMatch(e -> ((Number) e.get(0)).intValue() > 0
                && ((Number) e.get(0)).intValue() < 100), "the bar moved in steps: " + seen);
        assertTrue(server.get("/Patient/up-3999").statusCode() == 200);
        screenshot(driver, "console-upload");
        driver.navigate().refresh();
        assertTrue(text("load-table").contains("Patient.ndjson"), text("load-table"));
    }

    @Test
    @Order(6)
    void anExportStartsAndItsFilesDownload() throws Exception {
        driver.get(base + "/console/data");
        driver.findElement(By.id("export-types")).sendKeys("Patient");
        driver.findElement(By.id("export-start")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/console/data"));
        new WebDriverWait(driver, Duration.ofSeconds(120)).pollingEvery(Duration.ofSeconds(1)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.cssSelector("#export-table .export-state")).getText().equals("complete");
        });
        WebElement file = driver.findElement(By.cssSelector("#export-table a.export-file"));
        assertEquals("Patient.ndjson", file.getText());
        Object lines = driver.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(function (r) { return r.text(); }).then(function (t) {"
                + " done(t.trim().split('\\n').length); });", file.getAttribute("href"));
        assertEquals(4002L, ((Number) lines).longValue(), "every Patient in the file (4000 uploaded, 1 edited, 1 by"
                + " the transaction)");
        Axe.check(driver);
        screenshot(driver, "console-data");
    }

    @Test
    @Order(7)
    void demoDataAndReindexStartFromTheDataPageAndShowOnTheDashboard() throws Exception {
        driver.get(base + "/console/data");
        setValue("demo-patients", "3");
        driver.findElement(By.id("demo-start")).click();
        new WebDriverWait(driver, Duration.ofSeconds(120)).pollingEvery(Duration.ofSeconds(1)).until(d -> {
            d.navigate().refresh();
            return d.findElement(By.id("load-table")).getText().contains("81 0 done");
        });
        assertEquals(200, server.get("/Patient/demo-1-2").statusCode());
        driver.findElement(By.id("reindex-types")).sendKeys("Patient");
        driver.findElement(By.id("reindex-start")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("reindex-jobs")));
        driver.get(base + "/console/");
        String jobs = text("jobs");
        assertTrue(jobs.contains("load") && jobs.contains("export") && jobs.contains("reindex"), jobs);
        assertTrue(Long.parseLong(text("requests-last-hour")) > 0);
        assertTrue(driver.findElements(By.cssSelector("#rate-chart svg rect[fill='#0b5cad']")).size() >= 1);
        assertTrue(driver.findElements(By.cssSelector("#latency-chart svg circle")).size() >= 3);
        Axe.check(driver);
        screenshot(driver, "console-dashboard-jobs");
    }

    @Test
    @Order(8)
    void everyOtherConsolePageHasNoSeriousAccessibilityViolation() throws Exception {
        for (String page : java.util.List.of("/console/search", "/console/search/Patient?name=Upload",
                "/console/resource/Patient/ed-1", "/console/patient/demo-1-0", "/console/fhir/metadata",
                "/console/fhir/Patient/_history?_count=2", "/console/admin", "/console/no-such-page")) {
            driver.get(base + page);
            Axe.check(driver);
        }
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844)); // a phone
        try {
            for (String page : java.util.List.of("/console/", "/console/data", "/console/edit/Patient/ed-1")) {
                driver.get(base + page);
                Axe.check(driver);
                Object overflow = driver.executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertTrue(((Number) overflow).intValue() <= 1, page + " scrolls sideways on a phone by " + overflow);
            }
            screenshot(driver, "console-phone");
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        }
    }
}
