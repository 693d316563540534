package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A SMART app written with the real {@code fhirclient} npm package (2.6.x: the published bundle vendored for the
 * sample app, {@link FhirclientPackage}), served from its own origin, through the standalone and the EHR launch against the real server and its real
 * sign-in, picker and consent pages in headless Chromium, with the library's default settings: {@code ready()},
 * {@code patient.read()}, a search in the patient's compartment, {@code user.read()}, a refused read of another
 * patient and two refreshes in a row. No page may log a console error other than that refused read.
 */
class FhirclientBrowserTest {

    static final String CLIENT = "fhirclient-app";
    static final String ADMIN_PASSWORD = "admin-secret-fc";

    static FhirboltServer server;
    static String base;
    static AppHost app;
    static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Chromium.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        Path bundle = FhirclientPackage.browserBundle();
        assertTrue(FhirclientPackage.version().startsWith("2.6."), FhirclientPackage.version());
        app = new AppHost("fhirclient-app", Map.of("fhir-client.js", bundle));
        Map<String, String> flags = new HashMap<>(Map.of("host", "127.0.0.1", "port", "0", "data-dir",
                Files.createTempDirectory("fhirbolt-fhirclient").toString(), "security", "smart", "admin-password",
                ADMIN_PASSWORD, "demo-setup", "true", "audit", "off"));
        server = FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), flags));
        base = "http://127.0.0.1:" + server.port();
        Smart smart = new Smart(base, ADMIN_PASSWORD);
        Smart.Res r = smart.admin("POST", "/auth/admin/clients", "{\"client_id\":\"" + CLIENT + "\",\"client_name\":"
                + "\"fhirclient app\",\"type\":\"public\",\"redirect_uris\":[\"" + app.base + "/callback.html\"],"
                + "\"launch_url\":\"" + app.base + "/launch.html\"}");
        assertTrue(r.status() == 201 || r.status() == 200, r.body());
        KeyPair seeder = smart.registerBackend("seeder", "system/*.cruds");
        String system = smart.backendToken("seeder", seeder, "system/*.cruds");
        for (String patient : List.of("demo-patient-1", "demo-patient-2")) {
            String json = "{\"resourceType\":\"Observation\",\"id\":\"obs-" + patient + "\",\"status\":\"final\","
                    + "\"code\":{\"text\":\"pulse\"},\"subject\":{\"reference\":\"Patient/" + patient + "\"}}";
            Smart.Res put = smart.fhir(system, "PUT", "/Observation/obs-" + patient, json);
            assertTrue(put.status() == 201 || put.status() == 200, put.body());
        }
        driver = Chromium.get();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void freshBrowserState() {
        driver.get(base + "/auth/style.css");
        driver.manage().deleteAllCookies();
        Chromium.consoleErrors(driver); // empties the log
    }

    @AfterEach
    void noConsoleErrors() {
        List<String> unexpected = new ArrayList<>();
        for (String message : Chromium.consoleErrors(driver)) {
            // the refused read of the other patient is the one failed request the app makes on purpose
            if (!(message.contains(base + "/Patient/demo-patient-") && message.contains("404"))) {
                unexpected.add(message);
            }
        }
        assertEquals(List.of(), unexpected, "console errors");
    }

    private static void waitTitle(String title) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(ExpectedConditions.titleIs(title));
    }

    private static void signIn(String user, String password) {
        waitTitle("Sign in - Fhirbolt");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
    }

    /** Waits for the app's callback page to finish and answers what it saw. */
    private static JsonNode appResult() throws Exception {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.getTitle().startsWith("fhirclient: d")
                || d.getTitle().equals("fhirclient: failed"));
        String json = driver.findElement(By.id("result")).getText();
        JsonNode out = Smart.JSON.readTree(json);
        assertEquals("fhirclient: done", driver.getTitle(), json);
        return out;
    }

    private static void assertAppSawItsPatientOnly(JsonNode r, String patient, String other) {
        assertEquals(patient, r.path("patientId").asText(), r.toString());
        assertEquals("Patient/" + patient, r.path("patientRead").asText());
        assertEquals("[\"Patient/" + patient + "\"]", r.path("observationSubjects").toString());
        assertEquals("Practitioner/demo-practitioner", r.path("fhirUser").asText());
        assertEquals("Practitioner/demo-practitioner", r.path("userRead").asText());
        assertEquals(404, r.path("otherPatient").asInt(), "reading " + other + ": " + r.path("otherPatient"));
        assertEquals(2, r.path("refreshes").size(), r.toString());
        for (JsonNode refresh : r.path("refreshes")) {
            assertTrue(refresh.path("newAccessToken").asBoolean(), r.toString());
            assertTrue(refresh.path("newRefreshToken").asBoolean(), r.toString());
            assertEquals("Patient/" + patient, refresh.path("patientRead").asText());
        }
    }

    @Test
    void standaloneLaunchWithPatientPicker() throws Exception {
        driver.get(app.base + "/launch.html?iss=" + Smart.enc(base));
        signIn("practitioner", "practitioner-demo");
        waitTitle("Choose a patient - Fhirbolt");
        driver.findElement(By.cssSelector("input[name=patient][value=demo-patient-2]")).click();
        driver.findElement(By.id("choose-patient")).click();
        waitTitle("Allow access? - Fhirbolt");
        assertTrue(driver.findElement(By.cssSelector(".context")).getText().contains("Bob Demo (demo-patient-2)"),
                "the consent page names the patient");
        driver.findElement(By.id("allow")).click();
        JsonNode r = appResult();
        assertEquals("launch/patient openid fhirUser patient/*.rs user/Practitioner.rs offline_access",
                r.path("scope").asText());
        assertAppSawItsPatientOnly(r, "demo-patient-2", "demo-patient-1");
    }

    @Test
    void ehrLaunchFromTheLauncher() throws Exception {
        driver.get(base + "/auth/launch");
        signIn("practitioner", "practitioner-demo");
        waitTitle("Launch an app - Fhirbolt");
        driver.findElement(By.id("patient-demo-patient-1")).click();
        new Select(driver.findElement(By.id("client"))).selectByValue(CLIENT);
        driver.findElement(By.id("launch")).click();
        waitTitle("Allow access? - Fhirbolt");
        driver.findElement(By.id("allow")).click();
        JsonNode r = appResult();
        assertEquals("launch openid fhirUser patient/*.rs user/Practitioner.rs online_access",
                r.path("scope").asText());
        assertAppSawItsPatientOnly(r, "demo-patient-1", "demo-patient-2");
    }
}
