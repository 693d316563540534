package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The resource page's narrative and XML view in headless Chromium (security off): a narrative carrying a script, an
 * image whose onerror runs code, a javascript: link, an event handler and an external image is shown with its
 * formatting and nothing of it runs or loads; the XML view shows the resource as the server writes it, as text. Set
 * {@code -Dfhirbolt.screenshots=DIR} to save a screenshot.
 */
class ConsoleNarrativeBrowserTest {

    private static final String NARRATIVE = "<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p><b>Nora Narrative</b>,"
            + " born 1970</p><script>window.pwned = 'script';</script>"
            + "<img src=\\\"x\\\" onerror=\\\"window.pwned = 'onerror'\\\"/>"
            + "<img src=\\\"http://127.0.0.1:9/tracker.png\\\" alt=\\\"tracker\\\"/>"
            + "<p onmouseover=\\\"window.pwned = 'handler'\\\" id=\\\"main\\\">Allergies: none known</p>"
            + "<a href=\\\"javascript:window.pwned = 'link'\\\" id=\\\"evil-link\\\">details</a>"
            + "<table><tr><th>Phone</th><td>555-0100</td></tr></table></div>";
    private static ConsoleBrowser browser;
    private static TestServer server;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() throws Exception {
        browser = ConsoleBrowser.start("console-narrative", java.util.Map.of());
        server = browser.server;
        driver = browser.driver;
        var put = server.send("PUT", "/Patient/nora", "{\"resourceType\":\"Patient\",\"id\":\"nora\",\"text\":{"
                + "\"status\":\"generated\",\"div\":\"" + NARRATIVE + "\"},\"name\":[{\"family\":\"Narrative\","
                + "\"given\":[\"Nora\"]}],\"birthDate\":\"1970-01-01\"}");
        assertTrue(put.statusCode() < 300, put.body());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static Object js(String script) {
        return driver.executeScript(script);
    }

    @Test
    void theNarrativeIsShownAndNothingInItRuns() throws Exception {
        Chromium.consoleErrors(driver);
        driver.get(server.base + "/console/resource/Patient/nora");
        String narrative = driver.findElement(By.id("narrative")).getText();
        assertTrue(narrative.contains("Nora Narrative") && narrative.contains("Allergies: none known")
                && narrative.contains("555-0100"), narrative);
        assertEquals("Nora Narrative", driver.findElement(By.cssSelector("#narrative b")).getText());
        new org.openqa.selenium.interactions.Actions(driver)
                .moveToElement(driver.findElement(By.xpath("//div[@id='narrative']//p[2]"))).perform();
        driver.findElement(By.xpath("//div[@id='narrative']//a")).click();
        Thread.sleep(300); // let an image error or a handler run, were there one
        assertEquals(null, js("return window.pwned === undefined ? null : window.pwned"));
        assertEquals(0L, js("return document.querySelectorAll('#narrative script, #narrative img, #narrative [id],"
                + " #narrative [onerror], #narrative [onmouseover], #narrative a[href]').length"));
        assertEquals(1L, js("return document.querySelectorAll('#main').length"), "no id from the narrative on the page");
        assertEquals(server.base + "/console/resource/Patient/nora", driver.getCurrentUrl());
        List<String> errors = Chromium.consoleErrors(driver);
        assertTrue(errors.isEmpty(), errors::toString);
        Axe.check(driver);
        browser.screenshot("console-narrative");
    }

    @Test
    void theXmlViewShowsTheResourceAsTheServerWritesItAsText() {
        driver.get(server.base + "/console/resource/Patient/nora");
        driver.findElement(By.id("view-xml")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("xml")));
        String xml = driver.findElement(By.id("xml")).getText();
        assertTrue(xml.startsWith("<Patient xmlns=\"http://hl7.org/fhir\">"), xml);
        assertTrue(xml.contains("<family value=\"Narrative\"/>"), xml);
        assertTrue(xml.contains("window.pwned"), "the stored narrative is shown as the server has it, as text");
        assertEquals(0L, js("return document.querySelectorAll('#xml *').length"), "no markup inside the XML view");
        assertEquals(null, js("return window.pwned === undefined ? null : window.pwned"));
        assertEquals("page", driver.findElement(By.id("view-xml")).getAttribute("aria-current"));
        assertTrue(driver.findElements(By.id("json")).isEmpty());
        driver.findElement(By.id("view-json")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.id("json")));
        Axe.check(driver);
    }
}
