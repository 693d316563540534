package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The three SMART launches end to end through the real pages in headless Chromium; the app side (PKCE, the
 * token request) is done with java.net.http.
 */
class BrowserLaunchTest {

    static TestServer server;
    static String base;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Browser.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        server = new TestServer();
        base = server.base;
        driver = Browser.get();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void freshBrowserState() {
        driver.get(base + "/auth/style.css");
        driver.manage().deleteAllCookies();
        Browser.consoleErrors(driver); // empties the log
    }

    /** The sign-in, picker, consent and launcher pages log no console error (a missing favicon was one). */
    @AfterEach
    void noConsoleErrors() {
        assertEquals(List.of(), Browser.consoleErrors(driver), "console errors");
    }

    private static void waitTitle(String title) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.titleIs(title));
    }

    private static void waitUrl(String prefix) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(prefix));
    }

    private static void signIn(String user, String password) {
        waitTitle("Sign in - Fhirbolt");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
    }

    private static Map<String, Object> exchange(String verifier, String expectedState) throws Exception {
        waitUrl(base + "/app/callback?");
        String url = driver.getCurrentUrl();
        assertTrue(url.startsWith(base + "/app/callback?"), url);
        Map<String, String> q = Web.queryOf(url);
        assertEquals(expectedState, q.get("state"));
        Web.Res r = new Web(base).token(Map.of("grant_type", "authorization_code", "code", q.get("code"),
                "redirect_uri", base + "/app/callback", "code_verifier", verifier, "client_id", "demo-app"));
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    @Test
    void standalonePatientLaunch() throws Exception {
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app",
                "launch/patient openid fhirUser patient/Observation.rs patient/Condition.rs offline_access", v);
        driver.get(base + "/auth/authorize?" + Web.formBody(req));
        signIn("patient2", "patient2-demo");
        waitTitle("Allow access? - Fhirbolt");
        String page = driver.getPageSource();
        assertTrue(page.contains("Read and search Observation records of the selected patient"));
        assertTrue(page.contains("demo-patient-2"));
        driver.findElement(By.id("allow")).click();
        Map<String, Object> t = exchange(v, req.get("state"));
        assertEquals("demo-patient-2", t.get("patient"));
        assertEquals("launch/patient openid fhirUser patient/Observation.rs patient/Condition.rs offline_access",
                t.get("scope"));
        assertNotNull(t.get("id_token"));
        assertNotNull(t.get("refresh_token"));
    }

    @Test
    void standaloneProviderLaunchWithPatientAndEncounterPicker() throws Exception {
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app",
                "launch/patient launch/encounter openid fhirUser user/Observation.rs user/Condition.rs online_access", v);
        driver.get(base + "/auth/authorize?" + Web.formBody(req));
        signIn("practitioner", "practitioner-demo");
        waitTitle("Choose a patient - Fhirbolt");
        WebElement query = driver.findElement(By.id("q"));
        query.sendKeys("carol");
        driver.findElement(By.id("search")).click();
        // the search reloads the page under the same title: read the patients only once the old page is gone
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.stalenessOf(query));
        waitTitle("Choose a patient - Fhirbolt");
        List<WebElement> radios = driver.findElements(By.cssSelector("input[name=patient]"));
        assertEquals(1, radios.size());
        radios.get(0).click();
        driver.findElement(By.id("choose-patient")).click();
        waitTitle("Choose an encounter - Fhirbolt");
        driver.findElement(By.cssSelector("input[name=encounter][value=enc-1]")).click();
        driver.findElement(By.id("choose-encounter")).click();
        waitTitle("Allow access? - Fhirbolt");
        WebElement condition = driver.findElement(By.cssSelector("input[type=checkbox][value='user/Condition.rs']"));
        assertTrue(condition.isSelected());
        condition.click();
        assertFalse(condition.isSelected());
        driver.findElement(By.id("allow")).click();
        Map<String, Object> t = exchange(v, req.get("state"));
        assertEquals("p-carol", t.get("patient"));
        assertEquals("enc-1", t.get("encounter"));
        assertEquals("launch/patient launch/encounter openid fhirUser user/Observation.rs online_access",
                t.get("scope"));
    }

    @Test
    void ehrLaunchFromTheLauncher() throws Exception {
        driver.get(base + "/auth/launch");
        signIn("practitioner", "practitioner-demo");
        waitTitle("Launch an app - Fhirbolt");
        driver.findElement(By.id("patient-demo-patient-1")).click();
        new Select(driver.findElement(By.id("client"))).selectByValue("demo-app");
        new Select(driver.findElement(By.id("encounter"))).selectByValue("enc-2");
        driver.findElement(By.id("launch")).click();
        waitUrl(base + "/app/launch?");
        String launchUrl = driver.getCurrentUrl();
        assertTrue(launchUrl.startsWith(base + "/app/launch?"), launchUrl);
        Map<String, String> lq = Web.queryOf(launchUrl);
        assertEquals(base, lq.get("iss"));
        assertNotNull(lq.get("launch"));

        // the app discovers the endpoints from iss, then authorizes with the launch value
        Map<String, Object> conf = new Web(base).get(lq.get("iss") + "/.well-known/smart-configuration").json();
        String v = Web.verifier();
        Map<String, String> req = Web.request(base, "demo-app", "launch openid fhirUser patient/*.rs", v);
        req.put("launch", lq.get("launch"));
        driver.get(conf.get("authorization_endpoint") + "?" + Web.formBody(req));
        waitTitle("Allow access? - Fhirbolt");
        driver.findElement(By.id("allow")).click();
        Map<String, Object> t = exchange(v, req.get("state"));
        assertEquals("demo-patient-1", t.get("patient"));
        assertEquals("enc-2", t.get("encounter"));
        assertEquals(false, t.get("need_patient_banner"));
        assertEquals("launch openid fhirUser patient/*.rs", t.get("scope"));
        assertEquals(List.of(Map.of("reference", "Encounter/enc-2")), t.get("fhirContext"));
    }
}
