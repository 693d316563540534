package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md documents every setting the server accepts (the list comes from {@link ConfigLoader}), with
 * its default, and no setting the server refuses.
 */
class ConfigurationDocsTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|");

    @Test
    void everyAcceptedSettingHasARowInTheTable() throws Exception {
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc);
        List<String> documented = ROW.matcher(text).results().map(m -> m.group(1)).toList();
        List<String> accepted = List.copyOf(ConfigLoader.DEFAULTS.keySet());
        assertTrue(accepted.size() > 20, "the settings come from ConfigLoader: " + accepted);
        List<String> missing = accepted.stream().filter(k -> !documented.contains(k)).toList();
        assertEquals(List.of(), missing, "settings the server accepts but " + doc + " does not document");
        List<String> unknown = documented.stream().filter(k -> !accepted.contains(k)).toList();
        assertEquals(List.of(), unknown, "settings " + doc + " documents but the server refuses");
        for (String key : accepted) {
            Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(key) + "` \\|[^|]*\\| ([^|]*) \\|")
                    .matcher(text);
            assertTrue(row.find(), key);
            String defaultValue = ConfigLoader.DEFAULTS.get(key);
            assertTrue(defaultValue.isEmpty() || row.group(1).contains(defaultValue),
                    key + ": the documented default '" + row.group(1) + "' is not " + defaultValue);
        }
    }
}
