package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The resource view's "Referenced by" in headless Chromium (security off): loaded after the view has painted, grouped
 * by type and search parameter with counts, the first five as links and a link to the search that lists them all;
 * a resource nothing refers to says so. Also the patient view made from {@code $everything}.
 */
class ConsoleReferrersBrowserTest {

    private static ConsoleBrowser browser;
    private static TestServer server;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        browser = ConsoleBrowser.start("console-referrers", java.util.Map.of());
        server = browser.server;
        driver = browser.driver;
        StringBuilder entries = new StringBuilder();
        entry(entries, "Patient/rita", "{\"resourceType\":\"Patient\",\"id\":\"rita\",\"name\":[{\"family\":"
                + "\"Referred\",\"given\":[\"Rita\"]}],\"gender\":\"female\",\"birthDate\":\"1980-02-03\"}");
        entry(entries, "Practitioner/doc", "{\"resourceType\":\"Practitioner\",\"id\":\"doc\",\"name\":[{\"family\":"
                + "\"Doctor\",\"given\":[\"Dora\"]}]}");
        for (int i = 1; i <= 7; i++) {
            entry(entries, "Observation/w" + i, "{\"resourceType\":\"Observation\",\"id\":\"w" + i + "\",\"status\":"
                    + "\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\","
                    + "\"display\":\"Body weight\"}]},\"subject\":{\"reference\":\"Patient/rita\"},\"performer\":[{"
                    + "\"reference\":\"Practitioner/doc\"}],\"effectiveDateTime\":\"201" + i + "-05-01T10:00:00Z\","
                    + "\"valueQuantity\":{\"value\":" + (60 + i) + ",\"unit\":\"kg\"}}");
        }
        entry(entries, "Condition/asthma", "{\"resourceType\":\"Condition\",\"id\":\"asthma\",\"clinicalStatus\":{"
                + "\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":"
                + "\"active\"}]},\"code\":{\"text\":\"Asthma\"},\"subject\":{\"reference\":\"Patient/rita\"}}");
        entry(entries, "Condition/flu", "{\"resourceType\":\"Condition\",\"id\":\"flu\",\"clinicalStatus\":{"
                + "\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\",\"code\":"
                + "\"resolved\"}]},\"code\":{\"text\":\"Influenza\"},\"subject\":{\"reference\":\"Patient/rita\"}}");
        entry(entries, "Encounter/visit", "{\"resourceType\":\"Encounter\",\"id\":\"visit\",\"status\":\"finished\","
                + "\"class\":{\"code\":\"AMB\"},\"type\":[{\"text\":\"Check-up\"}],\"subject\":{\"reference\":"
                + "\"Patient/rita\"},\"period\":{\"start\":\"2017-05-01T10:00:00Z\"}}");
        var posted = server.send("POST", "/", "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + entries + "]}");
        assertEquals(200, posted.statusCode(), posted.body());
    }

    private static void entry(StringBuilder out, String url, String resource) {
        out.append(out.isEmpty() ? "" : ",").append("{\"resource\":").append(resource)
                .append(",\"request\":{\"method\":\"PUT\",\"url\":\"").append(url).append("\"}}");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static WebElement row(String type, String param) {
        return driver.findElement(By.cssSelector("tr.referrer[data-type=" + type + "][data-param=" + param + "]"));
    }

    @Test
    void theResourceViewListsWhatReferencesItAfterPainting() throws Exception {
        Chromium.consoleErrors(driver);
        driver.get(server.base + "/console/resource/Patient/rita");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("referrers-table")));
        WebElement subject = row("Observation", "subject");
        assertEquals("7", subject.findElement(By.className("count")).getText());
        List<WebElement> first = subject.findElements(By.cssSelector("ul.items a"));
        assertEquals(5, first.size(), "the first five, the rest behind the search");
        assertTrue(first.get(0).getAttribute("href").startsWith(server.base + "/console/resource/Observation/w"));
        assertTrue(first.get(0).getText().contains("Body weight"), first.get(0).getText());
        assertEquals("2", row("Condition", "subject").findElement(By.className("count")).getText());
        assertEquals("1", row("Encounter", "subject").findElement(By.className("count")).getText());
        assertTrue(driver.findElements(By.cssSelector("tr.referrer[data-type=Practitioner]")).isEmpty());
        List<String> errors = Chromium.consoleErrors(driver);
        assertTrue(errors.isEmpty(), errors::toString);
        Axe.check(driver);
        driver.executeScript("document.getElementById('referrers').scrollIntoView()");
        browser.screenshot("console-referrers");

        WebElement seeAll = subject.findElement(By.className("see-all"));
        assertEquals("see all 7", seeAll.getText());
        seeAll.click();
        browser.assertUrl(server.base + "/console/search/Observation?subject=Patient%2Frita", Duration.ofSeconds(20));
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> d.getPageSource().contains("w7"));
        for (int i = 1; i <= 7; i++) {
            assertTrue(driver.getPageSource().contains("/console/resource/Observation/w" + i), "w" + i);
        }
    }

    @Test
    void aPractitionerIsReferencedByThePerformers() {
        driver.get(server.base + "/console/referrers/Practitioner/doc");
        assertEquals("7", row("Observation", "performer").findElement(By.className("count")).getText());
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("Practitioner/doc"));
    }

    @Test
    void aResourceNothingRefersToSaysSo() {
        driver.get(server.base + "/console/resource/Observation/w3");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("referrers-none")));
        assertTrue(browser.text("referrers-none").contains("Observation/w3"));
        driver.get(server.base + "/console/referrers/Observation/nope");
        assertEquals(1, driver.findElements(By.id("error")).size(), "an unknown resource is an error page");
    }

    @Test
    void thePatientViewIsMadeFromEverything() {
        driver.get(server.base + "/console/patient/rita");
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("Rita Referred"));
        assertEquals("female", browser.text("gender"));
        assertTrue(browser.text("conditions").contains("Asthma"));
        assertTrue(!browser.text("conditions").contains("Influenza"), "a resolved condition is left out");
        assertTrue(browser.text("encounters").contains("Check-up"));
        List<WebElement> charts = driver.findElements(By.cssSelector("#charts svg.chart"));
        assertEquals(1, charts.size(), "body weight");
        assertTrue(browser.text("charts").contains("67 kg"), browser.text("charts"));
        assertTrue(driver.findElements(By.id("record-note")).isEmpty());
    }
}
