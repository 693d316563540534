package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's SMART administration and app sandbox in headless Chromium against a real server with security on:
 * registering and editing clients (a confidential one's secret shown once), the EHR launch of the built-in sample app
 * for a chosen patient and encounter ending on its patient summary, its standalone launch, revoking the approval,
 * users (linked by name, locked), signing-key rotation and the audit trail with its chart. Set
 * {@code -Dfhirbolt.screenshots=DIR} to save screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSmartAdminBrowserTest {

    private static final String ADMIN_PASSWORD = "console-smart-admin-pw";
    private static final Duration WAIT = Duration.ofSeconds(25);
    private static ConsoleBrowser browser;
    private static TestServer server;
    private static ChromeDriver driver;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = ConsoleBrowser.start("fhirbolt-console-smart", Map.of("security", "smart", "demo-setup", "true",
                "admin-password", ADMIN_PASSWORD, "audit", "on"));
        server = browser.server;
        driver = browser.driver;
        base = browser.base;
        Smart smart = new Smart(base, ADMIN_PASSWORD);
        KeyPair key = smart.registerBackend("sandbox-loader", "system/*.cruds");
        String token = smart.backendToken("sandbox-loader", key, "system/*.cruds");
        for (String json : List.of(
                "{\"resourceType\":\"Patient\",\"id\":\"p-zoe\",\"name\":[{\"given\":[\"Zoe\"],\"family\":\"Sandbox\"}],"
                        + "\"gender\":\"female\",\"birthDate\":\"1982-03-04\"}",
                "{\"resourceType\":\"Condition\",\"id\":\"c-zoe\",\"subject\":{\"reference\":\"Patient/p-zoe\"},"
                        + "\"code\":{\"text\":\"Asthma\"},\"onsetDateTime\":\"2001-05-06\"}",
                "{\"resourceType\":\"Encounter\",\"id\":\"e-zoe\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"},"
                        + "\"type\":[{\"text\":\"Asthma review\"}],\"subject\":{\"reference\":\"Patient/p-zoe\"},"
                        + "\"period\":{\"start\":\"2024-02-03T09:00:00Z\"}}")) {
            String type = Smart.JSON.readTree(json).get("resourceType").asText();
            String id = Smart.JSON.readTree(json).get("id").asText();
            Smart.Res r = smart.fhir(token, "PUT", "/" + type + "/" + id, json);
            assertTrue(r.status() == 200 || r.status() == 201, r.body());
        }
        // the console user: the demo practitioner, signed in through the SMART server, then the admin role
        driver.get(base + "/console/");
        driver.findElement(By.id("sign-in")).click();
        driver.findElement(By.id("username")).sendKeys("practitioner");
        driver.findElement(By.id("password")).sendKeys("practitioner-demo");
        driver.findElement(By.id("sign-in")).click();
        driver.findElement(By.id("allow")).click();
        assertUrl(base + "/console/");
        driver.get(base + "/console/admin");
        driver.findElement(By.id("admin-password")).sendKeys(ADMIN_PASSWORD);
        driver.findElement(By.id("admin-sign-in")).click();
        assertUrl(base + "/console/admin");
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static void assertUrl(String expected) {
        browser.assertUrl(expected, WAIT);
    }

    private static void waitForText(String id, String part) {
        try {
            new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), part));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("#" + id + " never showed '" + part + "'; it shows '" + text(id) + "' on "
                    + driver.getCurrentUrl(), e);
        }
    }

    private static String text(String id) {
        return browser.text(id);
    }

    private static void screenshot(String name) throws Exception {
        browser.screenshot(name);
    }

    private static void type(String id, String value) {
        driver.findElement(By.id(id)).clear();
        driver.findElement(By.id(id)).sendKeys(value);
    }

    @Test
    @Order(1)
    void clientsAreRegisteredEditedAndAConfidentialSecretIsShownOnce() throws Exception {
        driver.get(base + "/console/admin");
        assertTrue(text("clients").contains("fhirbolt-sample-app"), "the sample app is registered by default");
        driver.findElement(By.id("new-client")).click();
        type("client_id", "growth-chart");
        type("client_name", "Growth chart");
        type("redirect_uris", "https://apps.example/growth/callback\nhttps://apps.example/growth/cb2");
        type("launch_url", "https://apps.example/growth/launch");
        type("scope", "launch launch/patient openid fhirUser patient/*.rs");
        driver.findElement(By.id("save-client")).click();
        waitForText("created", "growth-chart");
        assertTrue(driver.findElements(By.id("client-secret")).isEmpty(), "a public client has no secret");

        driver.get(base + "/console/admin/clients/new");
        type("client_id", "portal");
        driver.findElement(By.id("type-confidential-symmetric")).click();
        type("redirect_uris", "not a uri#x");
        driver.findElement(By.id("save-client")).click();
        waitForText("error", "redirect URI");
        type("redirect_uris", "https://portal.example/cb");
        driver.findElement(By.id("save-client")).click();
        waitForText("created", "portal");
        assertTrue(text("client-secret").length() >= 40, "the secret is shown once");
        screenshot("console-client-secret");

        driver.get(base + "/console/admin/clients/growth-chart");
        type("client_name", "Growth chart v2");
        driver.findElement(By.id("save-client")).click();
        assertUrl(base + "/console/admin?saved=growth-chart");
        assertTrue(text("clients").contains("Growth chart v2"));

        driver.get(base + "/console/admin/clients/portal");
        driver.findElement(By.id("delete-client")).click();
        assertUrl(base + "/console/admin?removed=portal");
        assertFalse(text("clients").contains("portal"));
    }

    @Test
    @Order(2)
    void theSampleAppIsLaunchedInEhrModeForAChosenPatientAndEncounter() throws Exception {
        Chromium.consoleErrors(driver); // only this test's pages count
        driver.get(base + "/console/admin/sandbox");
        new Select(driver.findElement(By.id("app"))).selectByValue("fhirbolt-sample-app");
        type("name", "Sandbox");
        driver.findElement(By.id("find-patients")).click();
        driver.findElement(By.cssSelector("input.patient-choice[value=p-zoe]")).click();
        driver.findElement(By.id("choose-patient")).click();
        waitForText("chosen-patient", "Zoe Sandbox");
        new Select(driver.findElement(By.id("encounter"))).selectByValue("e-zoe");
        new Select(driver.findElement(By.id("launch-user"))).selectByValue("practitioner");
        screenshot("console-sandbox");
        driver.findElement(By.id("ehr-launch")).click();
        waitForText("launch-patient", "Zoe Sandbox");
        driver.findElement(By.id("open-app")).click();
        driver.findElement(By.id("allow")).click(); // signed in already: the consent page comes straight away
        waitForText("patient-name", "Zoe Sandbox");
        waitForText("conditions", "Asthma");
        assertEquals("EHR launch", text("launch-kind"));
        assertTrue(text("context").contains("\"encounter\": \"e-zoe\""), text("context"));
        assertTrue(text("scope").contains("patient/*.rs") && text("scope").contains("launch"), text("scope"));
        assertTrue(text("fhir-user").contains("Practitioner/demo-practitioner"), text("fhir-user"));
        assertTrue(text("access-token").contains("\"patient\": \"p-zoe\""), text("access-token"));
        assertTrue(text("id-token").contains("\"sub\": \"practitioner\""), text("id-token"));
        assertUsesFhirclient();
        List<String> errors = Chromium.consoleErrors(driver);
        assertTrue(errors.isEmpty(), errors::toString);
        screenshot("sample-app-summary");
    }

    @Test
    @Order(3)
    void theSampleAppWorksThroughAStandaloneLaunch() {
        Chromium.consoleErrors(driver);
        driver.get(base + "/console/admin/sandbox?app=fhirbolt-sample-app");
        driver.findElement(By.id("standalone-launch")).click();
        driver.findElement(By.cssSelector("input[name=patient][value=p-zoe]")).click();
        driver.findElement(By.id("choose-patient")).click();
        driver.findElement(By.id("allow")).click();
        waitForText("patient-name", "Zoe Sandbox");
        assertEquals("Standalone launch", text("launch-kind"));
        assertTrue(text("scope").contains("launch/patient"), text("scope"));
        assertTrue(text("context").contains("\"patient\": \"p-zoe\""), text("context"));
        assertTrue(text("access-token").contains("\"client_id\": \"fhirbolt-sample-app\""), text("access-token"));
        assertUsesFhirclient();
        List<String> errors = Chromium.consoleErrors(driver);
        assertTrue(errors.isEmpty(), errors::toString);
    }

    /** The summary page runs on the vendored fhirclient: its global and the state it keeps in sessionStorage. */
    private static void assertUsesFhirclient() {
        assertEquals(Boolean.TRUE, driver.executeScript("return typeof FHIR === 'object'"
                + " && typeof FHIR.oauth2.ready === 'function' && !!sessionStorage.getItem('SMART_KEY')"));
    }

    @Test
    @Order(4)
    void anApprovalIsRevokedAndItsTokensStopWorking() throws Exception {
        driver.get(base + "/console/admin/grants");
        int before = driver.findElements(By.cssSelector("#grants tbody tr")).size();
        assertTrue(before >= 2, "the console's own and the sample app's approvals: " + text("grants"));
        assertTrue(text("grants").contains("fhirbolt-sample-app"));
        screenshot("console-grants");
        driver.findElement(By.xpath("//tr[td/code[text()='fhirbolt-sample-app']]//button")).click();
        waitForText("message", "Revoked");
        assertEquals(before - 1, driver.findElements(By.cssSelector("#grants tbody tr")).size());
    }

    @Test
    @Order(5)
    void aUserIsAddedLinkedByNameAndLocked() throws Exception {
        driver.get(base + "/console/admin/users/new");
        type("username", "dr.zed");
        type("password", "zed-password-1");
        type("name", "Dr Zed");
        type("fhirUser", "Practitioner/demo-practitioner");
        driver.findElement(By.id("create-user")).click();
        waitForText("message", "User created");
        new Select(driver.findElement(By.id("find-type"))).selectByValue("Patient");
        type("find-name", "Sandbox");
        driver.findElement(By.id("find")).click();
        driver.findElement(By.cssSelector("input[name=fhirUser][value='Patient/p-zoe']")).click();
        driver.findElement(By.id("link-user")).click();
        waitForText("fhir-user", "Zoe Sandbox");
        driver.findElement(By.id("lock-user")).click();
        waitForText("user-state", "Locked by an administrator");
        screenshot("console-user");
        driver.findElement(By.id("unlock-user")).click();
        waitForText("user-state", "Active");
        driver.findElement(By.id("lock-user")).click();
        waitForText("user-state", "Locked");
        driver.get(base + "/console/admin");
        assertTrue(text("users").contains("dr.zed"));
    }

    @Test
    @Order(6)
    void signingKeysRotate() {
        driver.get(base + "/console/admin/keys");
        int before = driver.findElements(By.cssSelector("#keys tbody tr")).size();
        driver.findElement(By.id("rotate-key")).click();
        waitForText("message", "A new key signs");
        assertEquals(before + 1, driver.findElements(By.cssSelector("#keys tbody tr")).size());
    }

    @Test
    @Order(7)
    void theAuditTrailIsFilteredAndChartedOverTime() throws Exception {
        driver.get(base + "/console/admin/audit");
        assertFalse(driver.findElements(By.cssSelector("#audit tbody tr")).isEmpty(), () -> "events are listed: "
                + text("main"));
        assertFalse(driver.findElements(By.cssSelector("#audit-chart rect.bar")).isEmpty(), "and charted");
        type("patient", "p-zoe");
        driver.findElement(By.id("filter")).click();
        waitForText("audit-query", "patient=Patient%2Fp-zoe");
        assertTrue(text("audit").contains("Patient/p-zoe"), text("audit"));
        screenshot("console-audit");
        new Select(driver.findElement(By.id("outcome"))).selectByValue("4");
        driver.executeScript("arguments[0].value = '2099-01-01'", driver.findElement(By.id("from")));
        driver.findElement(By.id("filter")).click();
        waitForText("audit-query", "date=ge2099-01-01");
        assertTrue(driver.findElements(By.cssSelector("#audit tbody tr")).isEmpty());
    }

    /** Signs the browser in to the console as another user (the cookies of the console and the SMART server go). */
    private static void signInAs(String user, String password) {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of()); // /console's and /auth's
        driver.get(base + "/console/");
        driver.findElement(By.id("sign-in")).click();
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        driver.findElement(By.id("allow")).click();
        assertUrl(base + "/console/");
    }

    private static long status() {
        return ((Number) driver.executeScript("return performance.getEntriesByType('navigation')[0].responseStatus"))
                .longValue();
    }

    @Test
    @Order(8)
    void aUserWithTheAdminRoleUsesTheAdministrationPagesWithoutThePassword() throws Exception {
        driver.get(base + "/console/admin/users/new");
        type("username", "ops.lead");
        type("password", "ops-lead-password");
        type("name", "Olga Ops");
        type("fhirUser", "Practitioner/demo-practitioner");
        driver.findElement(By.id("admin-role")).click();
        driver.findElement(By.id("create-user")).click();
        waitForText("message", "User created");
        assertTrue(text("user-role").startsWith("Admin"), text("user-role"));

        signInAs("ops.lead", "ops-lead-password");
        driver.get(base + "/console/admin");
        assertEquals(200L, status());
        assertTrue(driver.findElements(By.id("admin-password")).isEmpty(), "no password asked");
        assertTrue(text("clients").contains("fhirbolt-sample-app"), text("clients"));
        assertTrue(driver.findElement(By.xpath("//table[@id='users']//tr[td//code[text()='ops.lead']]")).getText()
                .contains("admin"));
        Axe.check(driver);
        driver.get(base + "/console/admin/keys");
        driver.findElement(By.id("rotate-key")).click();
        waitForText("message", "A new key signs");
    }

    @Test
    @Order(9)
    void aUserWithoutTheRoleGetsA403PageUntilTheRoleIsGiven() throws Exception {
        Smart smart = new Smart(base, ADMIN_PASSWORD);
        Smart.Res made = smart.admin("POST", "/auth/admin/users", "{\"username\":\"clerk\",\"password\":"
                + "\"clerk-password-1\",\"fhirUser\":\"Practitioner/demo-practitioner\"}");
        assertEquals(201, made.status(), made.body());
        signInAs("clerk", "clerk-password-1");
        for (String page : List.of("/console/admin", "/console/admin/grants", "/console/admin/users/ops.lead")) {
            driver.get(base + page);
            assertEquals(403L, status(), page);
            assertTrue(text("no-admin-role").contains("does not have the admin role"), text("no-admin-role"));
            assertTrue(driver.findElements(By.id("clients")).isEmpty());
        }
        Axe.check(driver);
        screenshot("console-admin-403");

        Smart.Res given = smart.admin("PUT", "/auth/admin/users/clerk", "{\"admin\":true}");
        assertEquals(204, given.status(), given.body());
        driver.get(base + "/console/admin");
        assertEquals(200L, status());
        assertTrue(text("clients").contains("fhirbolt-sample-app"));
        // and taken away again from the console's user page: the next page is the 403 page again
        driver.get(base + "/console/admin/users/clerk");
        driver.findElement(By.id("take-admin")).click();
        waitForText("no-admin-role", "does not have the admin role");
    }
}
