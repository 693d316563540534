package dev.fhirbolt.auth;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** One headless Chromium for all browser tests of the run, closed when the JVM exits. */
final class Browser {

    private static ChromeDriver driver;

    private Browser() {
    }

    static synchronized ChromeDriver get() throws Exception {
        if (driver == null) {
            Path profile = Files.createTempDirectory("fhirbolt-chrome");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(new File("/usr/bin/chromium"));
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    driver.quit();
                } catch (RuntimeException ignored) {
                    // the browser is gone already
                }
            }));
        }
        return driver;
    }

    static boolean available() {
        return new File("/usr/bin/chromium").canExecute() && new File("/usr/bin/chromedriver").canExecute();
    }
}
