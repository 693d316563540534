package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A console browser test's set-up: a {@link TestServer} on a fresh data directory and a fresh headless Chromium
 * ({@link Chromium#start()}), started together and closed together, with the look-ups the tests share. A test class
 * is skipped where the browser is not installed.
 */
final class ConsoleBrowser implements AutoCloseable {

    final TestServer server;
    final ChromeDriver driver;
    final String base;

    private ConsoleBrowser(TestServer server, ChromeDriver driver) {
        this.server = server;
        this.driver = driver;
        this.base = server.base;
    }

    /** A server with these settings ({@code Map.of()}: security off) on a new temporary directory named after name. */
    static ConsoleBrowser start(String name, Map<String, String> settings) throws Exception {
        Assumptions.assumeTrue(Chromium.available(), "needs /usr/bin/chromium and /usr/bin/chromedriver");
        TestServer server = TestServer.start(Files.createTempDirectory(name), settings);
        try {
            return new ConsoleBrowser(server, Chromium.start());
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    /** Waits up to {@code wait} for the browser to reach the URL, then asserts it is there. */
    void assertUrl(String expected, Duration wait) {
        try {
            new WebDriverWait(driver, wait).until(ExpectedConditions.urlToBe(expected));
        } catch (org.openqa.selenium.TimeoutException e) {
            assertEquals(expected, driver.getCurrentUrl());
        }
    }

    /** The text of the element with this id. */
    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Saves the page as {@code name.png} in the directory {@code -Dfhirbolt.screenshots} names, if it names one. */
    void screenshot(String name) throws Exception {
        screenshot(driver, name);
    }

    static void screenshot(ChromeDriver d, String name) throws Exception {
        String dir = System.getProperty("fhirbolt.screenshots");
        if (dir != null) {
            Files.createDirectories(Path.of(dir));
            Files.write(Path.of(dir, name + ".png"), d.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            server.close();
        }
    }
}
