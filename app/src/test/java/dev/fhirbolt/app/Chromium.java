package dev.fhirbolt.app;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Debian Chromium for this module's browser tests, with its console log kept so that tests can check no
 * page logged an error: {@link #get()} shares one browser, closed when the JVM exits; {@link #start()} gives a fresh
 * one the caller quits.
 */
final class Chromium {

    private static final String BINARY = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";
    private static ChromeDriver shared;

    private Chromium() {
    }

    /** Whether the browser is installed; in CI its absence is a failure (.ci/run installs it), elsewhere a skip. */
    static boolean available() {
        boolean there = new File(BINARY).canExecute() && new File(DRIVER).canExecute();
        if (!there && System.getenv("CI") != null) {
            throw new AssertionError("browser tests need " + BINARY + " and " + DRIVER
                    + " (Debian packages chromium and chromium-driver)");
        }
        return there;
    }

    /** The browser shared by this JVM's tests. */
    static synchronized ChromeDriver get() throws Exception {
        if (shared == null) {
            shared = launch();
            ChromeDriver d = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    d.quit();
                } catch (RuntimeException ignored) {
                    // the browser is gone already
                }
            }));
        }
        return shared;
    }

    /**
     * A fresh browser at 1280 × 900 whose element look-ups wait for the next page (on a loaded machine clicks return
     * before it is there); the caller quits it.
     */
    static ChromeDriver start() throws Exception {
        ChromeDriver driver = launch();
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(15));
        driver.manage().window().setSize(new Dimension(1280, 900));
        return driver;
    }

    private static ChromeDriver launch() throws Exception {
        Path profile = Files.createTempDirectory("fhirbolt-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File(BINARY));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** The console errors (level SEVERE) logged since the last call; reading the log empties it. */
    static List<String> consoleErrors(ChromeDriver d) {
        return d.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }
}
