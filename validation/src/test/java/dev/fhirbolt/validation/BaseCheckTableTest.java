package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps base-checks.tsv equal to what {@link BaseCheckCompiler} makes of the core definitions HAPI ships. After a
 * HAPI upgrade, regenerate it with
 * {@code ./mvnw -o verify -pl validation -am -Dtest=BaseCheckTableTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dfhirbolt.regenerate=true}.
 */
class BaseCheckTableTest {

    private static final Path FILE = Path.of("src/main/resources/dev/fhirbolt/validation", BaseChecks.RESOURCE);

    @Test
    void tableMatchesTheCoreDefinitions() throws IOException {
        String expected = BaseCheckCompiler.compile();
        if (Boolean.getBoolean("fhirbolt.regenerate") || !Files.exists(FILE)) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(FILE, StandardCharsets.UTF_8));
    }
}
