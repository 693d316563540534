package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (the WebJar, test scope only) run on the page a browser shows: no violation of impact serious or critical
 * may remain. The script is injected through WebDriver, so the pages' Content-Security-Policy stays as it is.
 */
final class Axe {

    private static final String RESOURCE = "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js";
    private static String source;

    private Axe() {
    }

    /** Fails with the rule ids, impacts and offending elements when the page has serious or critical violations. */
    static void check(WebDriver driver) {
        List<String> bad = violations(driver);
        assertTrue(bad.isEmpty(), "accessibility violations on " + driver.getCurrentUrl() + ":\n"
                + String.join("\n", bad));
    }

    @SuppressWarnings("unchecked")
    static List<String> violations(WebDriver driver) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return !!window.axe"))) {
            js.executeScript(source() + "\n;window.axe = axe;");
        }
        driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(60));
        Object result = js.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                + "  done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })"
                + "    .map(function (v) { return v.impact + ' ' + v.id + ': ' + v.help + ' at '"
                + "      + v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', '); }));"
                + "}, function (e) { done(['axe failed: ' + e]); });");
        List<String> out = new ArrayList<>();
        if (result instanceof List<?> list) {
            list.forEach(o -> out.add(String.valueOf(o)));
        } else if (result instanceof Map<?, ?> m) {
            out.add(m.toString());
        }
        return out;
    }

    private static synchronized String source() {
        if (source == null) {
            try (InputStream in = Axe.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("axe-core is not on the test class path: " + RESOURCE);
                }
                source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return source;
    }
}
