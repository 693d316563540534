package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.util.List;
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
 * The console in headless Chromium against a real server with SMART security on: sign-in through the server's own
 * login and consent pages, the dashboard, search, a resource with its links and history, the patient view with its
 * charts, FHIR URLs opened in the browser, and sign-out. Set {@code -Dfhirbolt.screenshots=DIR} to save screenshots
 * of the main pages (docs/console.md shows them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {

    private static final String ADMIN_PASSWORD = "console-test-admin-pw";
    private static ConsoleBrowser browser;
    private static TestServer server;
    private static ChromeDriver driver;
    private static String base;
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(20);

    @BeforeAll
    static void start() throws Exception {
        browser = ConsoleBrowser.start("fhirbolt-console", Map.of("security", "smart", "demo-setup", "true",
                "admin-password", ADMIN_PASSWORD));
        server = browser.server;
        driver = browser.driver;
        base = browser.base;
        load(new Smart(base, ADMIN_PASSWORD));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /** A patient with conditions, a medication, encounters and vital signs, written by a backend service. */
    private static void load(Smart smart) throws Exception {
        KeyPair key = smart.registerBackend("console-loader", "system/*.cruds");
        String token = smart.backendToken("console-loader", key, "system/*.cruds");
        List<String> resources = List.of(
                "{\"resourceType\":\"Patient\",\"id\":\"p-anna\",\"name\":[{\"given\":[\"Anna\"],\"family\":\"Console\"}],"
                        + "\"gender\":\"female\",\"birthDate\":\"1970-04-02\",\"address\":[{\"line\":[\"1 Main St\"],"
                        + "\"city\":\"Springfield\"}]}",
                "{\"resourceType\":\"Condition\",\"id\":\"c-1\",\"subject\":{\"reference\":\"Patient/p-anna\"},"
                        + "\"code\":{\"text\":\"Hypertension\"},\"onsetDateTime\":\"2015-06-01\"}",
                "{\"resourceType\":\"MedicationRequest\",\"id\":\"m-1\",\"status\":\"active\",\"intent\":\"order\","
                        + "\"subject\":{\"reference\":\"Patient/p-anna\"},\"medicationCodeableConcept\":{\"text\":"
                        + "\"Lisinopril 10 MG\"},\"authoredOn\":\"2015-06-02\"}",
                "{\"resourceType\":\"Encounter\",\"id\":\"e-1\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
                        + "\"type\":[{\"text\":\"General examination\"}],\"subject\":{\"reference\":\"Patient/p-anna\"},"
                        + "\"period\":{\"start\":\"2020-01-10T09:00:00Z\"}}",
                vital("o-bp-1", "2019-01-10", 142, 91), vital("o-bp-2", "2020-01-10", 135, 86),
                vital("o-bp-3", "2021-01-10", 128, 82), weight("o-w-1", "2019-01-10", 81.5),
                weight("o-w-2", "2020-01-10", 79.0), weight("o-w-3", "2021-01-10", 76.2));
        for (String json : resources) {
            String id = Smart.JSON.readTree(json).get("id").asText();
            String type = Smart.JSON.readTree(json).get("resourceType").asText();
            Smart.Res r = smart.fhir(token, "PUT", "/" + type + "/" + id, json);
            assertTrue(r.status() == 201 || r.status() == 200, r.body());
        }
    }

    private static String vital(String id, String day, int systolic, int diastolic) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"category\":[{\"coding\":"
                + "[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"85354-9\"}],\"text\":\"Blood pressure\"},"
                + "\"subject\":{\"reference\":\"Patient/p-anna\"},\"effectiveDateTime\":\"" + day + "T10:00:00Z\","
                + "\"component\":[" + component("8480-6", systolic) + "," + component("8462-4", diastolic) + "]}";
    }

    private static String component(String code, int value) {
        return "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]},\"valueQuantity\":"
                + "{\"value\":" + value + ",\"unit\":\"mm[Hg]\"}}";
    }

    private static String weight(String id, String day, double kg) {
        return "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"http://loinc.org\",\"code\":\"29463-7\"}],\"text\":\"Body weight\"},\"subject\":"
                + "{\"reference\":\"Patient/p-anna\"},\"effectiveDateTime\":\"" + day + "T10:00:00Z\","
                + "\"valueQuantity\":{\"value\":" + kg + ",\"unit\":\"kg\"}}";
    }

    private static void assertUrl(String expected) {
        browser.assertUrl(expected, WAIT);
    }

    private static String text(String id) {
        return browser.text(id);
    }

    private static void screenshot(String name) throws Exception {
        browser.screenshot(name);
    }

    @Test
    @Order(1)
    void theRootSendsABrowserToTheConsoleWhereItSignsInThroughTheSmartServer() throws Exception {
        driver.get(base + "/");
        assertUrl(base + "/console/");
        assertFalse(driver.getPageSource().contains("id=\"dev-mode\""), "security is on: no development banner");
        screenshot("console-welcome");
        Axe.check(driver);
        driver.findElement(By.id("sign-in")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlContains("/auth/"));
        Axe.check(driver); // the SMART server's sign-in page
        driver.findElement(By.id("username")).sendKeys("practitioner");
        driver.findElement(By.id("password")).sendKeys("practitioner-demo");
        driver.findElement(By.id("sign-in")).click();
        WebElement allow = driver.findElement(By.id("allow"));
        Axe.check(driver); // its consent page
        allow.click();
        assertUrl(base + "/console/");
        assertEquals("Dr. Demo Practitioner", text("user"));
    }

    @Test
    @Order(2)
    void theDashboardCountsWhatTheUserCanSeeAndWarnsOfTheDemoUsers() throws Exception {
        driver.get(base + "/console/");
        // counts not ready at the first paint are fetched again by the page's script and swapped in
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("counts"),
                "Observation 6"));
        String counts = text("counts");
        assertTrue(counts.contains("Observation 6"), counts);
        assertTrue(counts.contains("Patient"), counts);
        assertEquals("SMART", text("security-mode"));
        assertTrue(text("warnings").contains("Demo users are present"), text("warnings"));
        assertTrue(text("scope").contains("user/*.cruds"), text("scope"));
        screenshot("console-dashboard");
        Axe.check(driver);
    }

    @Test
    @Order(3)
    void theSearchFormRunsAFhirQueryAndShowsIt() throws Exception {
        driver.get(base + "/console/search");
        driver.findElement(By.cssSelector("#type option[value=Patient]")).click();
        driver.findElement(By.id("choose-type")).click();
        assertUrl(base + "/console/search/Patient");
        assertTrue(driver.findElement(By.id("params")).getAttribute("textContent").contains("birthdate"));
        driver.findElement(By.id("n0")).sendKeys("name");
        driver.findElement(By.id("v0")).sendKeys("Anna");
        assertEquals(base + "/Patient?name=Anna&_count=20", text("query-url"), "the query is shown as it is typed");
        driver.findElement(By.id("search")).click();
        assertUrl(base + "/console/search/Patient?name=Anna");
        assertEquals(base + "/Patient?name=Anna&_count=20", text("query-url"), "20 a page unless _count says");
        assertTrue(text("results").contains("Anna Console"), text("results"));
        assertEquals("1 found", text("total"));
        screenshot("console-search");
        Axe.check(driver);
    }

    @Test
    @Order(4)
    void searchResultsArePaged() {
        driver.get(base + "/console/search/Observation?_count=4");
        assertEquals(4, driver.findElements(By.cssSelector("#results tbody tr")).size());
        driver.findElement(By.id("next")).click();
        new WebDriverWait(driver, WAIT).until(d -> d.findElements(By.cssSelector("#results tbody tr")).size() == 2);
    }

    @Test
    @Order(5)
    void aResourceShowsItsJsonWithReferencesAsLinksAndItsHistory() throws Exception {
        driver.get(base + "/console/resource/Condition/c-1");
        assertTrue(text("json").contains("Hypertension"));
        screenshot("console-resource");
        Axe.check(driver);
        driver.findElement(By.cssSelector("#json a.ref")).click();
        assertUrl(base + "/console/resource/Patient/p-anna");
        assertEquals("1", text("version"));
        WebElement history = driver.findElement(By.id("history"));
        assertTrue(history.getText().contains("1"), history.getText());
        driver.findElement(By.cssSelector("#history a")).click();
        assertUrl(base + "/console/resource/Patient/p-anna/_history/1");
    }

    @Test
    @Order(6)
    void thePatientViewShowsTheRecordWithVitalSignCharts() throws Exception {
        driver.get(base + "/console/resource/Patient/p-anna");
        driver.findElement(By.id("patient-view")).click();
        assertUrl(base + "/console/patient/p-anna");
        assertTrue(driver.findElement(By.tagName("h1")).getText().contains("Anna Console"));
        assertEquals("female", text("gender"));
        assertTrue(text("conditions").contains("Hypertension"));
        assertTrue(text("medications").contains("Lisinopril 10 MG"));
        assertTrue(text("encounters").contains("General examination"));
        List<WebElement> charts = driver.findElements(By.cssSelector("#charts svg.chart"));
        assertEquals(2, charts.size(), "blood pressure and body weight");
        assertEquals(2, charts.get(0).findElements(By.tagName("polyline")).size(), "systolic and diastolic");
        assertTrue(text("charts").contains("128/82 mm[Hg]"), text("charts"));
        screenshot("console-patient");
        Axe.check(driver);
    }

    @Test
    @Order(7)
    void administrationNeedsTheAdminPasswordAndListsClientsAndUsers() throws Exception {
        driver.get(base + "/console/admin");
        driver.findElement(By.id("admin-password")).sendKeys("not-the-password");
        driver.findElement(By.id("admin-sign-in")).click();
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("error"),
                "not the admin password"));
        driver.findElement(By.id("admin-password")).sendKeys(ADMIN_PASSWORD);
        driver.findElement(By.id("admin-sign-in")).click();
        assertUrl(base + "/console/admin");
        String clients = text("clients");
        assertTrue(clients.contains("fhirbolt-console") && clients.contains("demo-app")
                && clients.contains("console-loader"), clients);
        assertTrue(text("users").contains("practitioner"), text("users"));
        screenshot("console-admin");
        Axe.check(driver);
    }

    @Test
    @Order(8)
    void fhirUrlsOpenedInTheBrowserShowPagesNotDownloads() throws Exception {
        driver.get(base + "/metadata");
        assertUrl(base + "/console/fhir/metadata");
        assertEquals("Capabilities - Fhirbolt Console", driver.getTitle());
        assertEquals(base + "/metadata", text("fhir-url"));
        assertTrue(text("software").startsWith("Fhirbolt"), text("software"));
        assertTrue(text("types").contains("Observation"), "every type with its interactions");
        driver.get(base + "/Observation?code=29463-7");
        assertUrl(base + "/console/fhir/Observation?code=29463-7");
        assertEquals("3 found", text("total"));
        driver.get(base + "/Patient/p-anna");
        assertTrue(text("json").contains("Springfield"));
        // FHIR clients are not redirected
        assertEquals(200, server.get("/metadata", "Accept", "application/fhir+json").statusCode());
        assertEquals(401, server.get("/Patient/p-anna", "Accept", "application/fhir+json").statusCode());
        assertEquals(401, server.get("/Patient/p-anna").statusCode());
    }

    @Test
    @Order(9)
    void theSignedInUserEditsWithTheirOwnTokenAndSeesTheDataPage() throws Exception {
        driver.get(base + "/console/edit/Condition/c-1");
        assertEquals("1", text("edit-version"));
        driver.executeScript("var t = document.getElementById('json');"
                + "t.value = t.value.replace('Hypertension', 'Essential hypertension');");
        driver.findElement(By.id("save")).click();
        assertUrl(base + "/console/resource/Condition/c-1");
        assertEquals("2", text("version"));
        assertTrue(text("json").contains("Essential hypertension"));
        driver.get(base + "/console/data");
        assertTrue(driver.findElement(By.id("upload-form")).isDisplayed());
        Axe.check(driver);
    }

    @Test
    @Order(10)
    void signingOutEndsTheSessionAndAnotherBrowserSeesNothing() {
        driver.findElement(By.id("sign-out")).click();
        assertUrl(base + "/console/");
        assertFalse(driver.getPageSource().contains("Observation"));
        driver.get(base + "/console/patient/p-anna");
        assertTrue(driver.findElements(By.id("sign-in")).size() == 1, "the welcome page asks to sign in");
        assertFalse(driver.getPageSource().contains("Hypertension"));
    }
}
