package dev.fhirbolt.bench.console;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium at 1280 × 900 (driven through chromedriver, as the browser tests drive it) that opens a
 * page and reads its timings from the Performance API: when the request was sent, when the first and last bytes of
 * the HTML arrived, and the {@code first-contentful-paint} entry (or {@code first-paint} when nothing contentful
 * was painted), and the page's HTTP status.
 */
final class PaintProbe implements AutoCloseable {

    /** One page load in milliseconds from the navigation's start; paint is -1 when none was reported. */
    record Timing(long requestStart, long firstByte, long lastByte, long paint, int status) {

        /** The server's part: from the request sent to the last byte of the HTML (over loopback). */
        long server() {
            return lastByte - requestStart;
        }
    }

    private static final String SCRIPT = "var done = arguments[arguments.length - 1];"
            + "var n = performance.getEntriesByType('navigation')[0];"
            + "function report(p) { done([Math.round(n.requestStart), Math.round(n.responseStart),"
            + " Math.round(n.responseEnd), p ? Math.round(p.startTime) : -1, n.responseStatus || 0]); }"
            + "function found() { return performance.getEntriesByName('first-contentful-paint')[0]"
            + " || performance.getEntriesByName('first-paint')[0]; }"
            + "if (found()) { report(found()); return; }"
            + "new PerformanceObserver(function () { if (found()) { report(found()); } })"
            + ".observe({type: 'paint', buffered: true});"
            + "setTimeout(function () { report(found()); }, 5000);";

    private final ChromeDriver driver;

    PaintProbe(Path chromium, Path chromedriver, Duration pageTimeout) throws Exception {
        Path profile = Files.createTempDirectory("fhirbolt-console-bench");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver.toString())).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(pageTimeout);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    }

    /** Opens the URL and waits for its load event; empty when the page did not load within the timeout. */
    java.util.Optional<Timing> open(String url) {
        try {
            driver.get(url);
        } catch (TimeoutException e) {
            driver.navigate().to("about:blank");
            return java.util.Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Number> t = (List<Number>) driver.executeAsyncScript(SCRIPT);
        return java.util.Optional.of(new Timing(t.get(0).longValue(), t.get(1).longValue(), t.get(2).longValue(),
                t.get(3).longValue(), t.get(4).intValue()));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
