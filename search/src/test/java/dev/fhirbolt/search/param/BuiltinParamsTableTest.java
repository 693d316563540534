package dev.fhirbolt.search.param;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps builtin-params.ndjson equal to the search parameters of HAPI's R4 model (what a scan of every resource type
 * gives). After a HAPI upgrade, regenerate it with {@code ./mvnw -o verify -pl search -am
 * -Dtest=BuiltinParamsTableTest -Dsurefire.failIfNoSpecifiedTests=false -Dfhirbolt.regenerate=true}.
 */
class BuiltinParamsTableTest {

    private static final Path FILE = Path.of("src/main/resources/dev/fhirbolt/search/param", BuiltinParams.RESOURCE);

    @Test
    void tableMatchesTheModel() throws IOException {
        Map<String, Map<String, ParamDef>> scanned = BuiltinParams.scan();
        String expected = BuiltinParams.write(scanned);
        if (Boolean.getBoolean("fhirbolt.regenerate") || !Files.exists(FILE)) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(FILE, StandardCharsets.UTF_8));
        Map<String, Map<String, ParamDef>> parsed = BuiltinParams.parse(expected.lines());
        assertEquals(scanned, parsed);
        assertEquals(List.copyOf(scanned.keySet()), List.copyOf(parsed.keySet()));
        scanned.forEach((type, params) -> assertEquals(List.copyOf(params.keySet()),
                List.copyOf(parsed.get(type).keySet()), type));
    }
}
