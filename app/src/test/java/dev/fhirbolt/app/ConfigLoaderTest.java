package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void defaultsThenFileThenEnvironmentThenFlags() throws Exception {
        Path file = Files.createTempFile("fhirbolt", ".properties");
        Files.writeString(file, "port=9000\ndata-dir=/tmp/from-file\nbase-url=https://file.example/fhir/\n");
        ServerConfig defaults = ConfigLoader.load(Optional.empty(), Map.of(), Map.of());
        assertEquals(8080, defaults.port());
        assertTrue(defaults.dataDir().endsWith("data"));

        ServerConfig fromFile = ConfigLoader.load(Optional.of(file), Map.of(), Map.of());
        assertEquals(9000, fromFile.port());
        assertEquals("https://file.example/fhir", fromFile.baseUrl().orElseThrow());

        ServerConfig fromEnv = ConfigLoader.load(Optional.of(file), Map.of("FHIRBOLT_PORT", "9100",
                "FHIRBOLT_DATA_DIR", "/tmp/from-env"), Map.of());
        assertEquals(9100, fromEnv.port());
        assertEquals(Path.of("/tmp/from-env"), fromEnv.dataDir());

        Map<String, String> flags = new HashMap<>();
        flags.put("port", "9200");
        flags.put("data-dir", null);
        ServerConfig fromFlags = ConfigLoader.load(Optional.of(file), Map.of("FHIRBOLT_PORT", "9100"), flags);
        assertEquals(9200, fromFlags.port());
        assertEquals(Path.of("/tmp/from-file"), fromFlags.dataDir());
    }

    @Test
    void badSettingsAreExplained() throws Exception {
        var port = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("port", "eighty")));
        assertTrue(port.getMessage().contains("port must be"));
        var url = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(Optional.empty(), Map.of(), Map.of("base-url", "localhost:8080")));
        assertTrue(url.getMessage().contains("base-url"));
        Path file = Files.createTempFile("fhirbolt", ".properties");
        Files.writeString(file, "prot=9000\n");
        var unknown = assertThrows(ConfigLoader.ConfigException.class,
                () -> ConfigLoader.load(Optional.of(file), Map.of(), Map.of()));
        assertTrue(unknown.getMessage().contains("unknown setting 'prot'"));
    }

    @Test
    void auditRetentionIsWholeDaysOrNothing() {
        assertEquals(Optional.empty(), ConfigLoader.load(Optional.empty(), Map.of(), Map.of()).auditRetention());
        assertEquals(Optional.of(java.time.Duration.ofDays(30)), ConfigLoader.load(Optional.empty(),
                Map.of("FHIRBOLT_AUDIT_RETENTION_DAYS", "30"), Map.of()).auditRetention());
        for (String bad : new String[] {"0", "-1", "a year"}) {
            var e = assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
                    Map.of("FHIRBOLT_AUDIT_RETENTION_DAYS", bad), Map.of()));
            assertTrue(e.getMessage().startsWith("audit-retention-days must be"), e.getMessage());
        }
    }

    @Test
    void validationDefaultsToBaseWithPerTypeOverrides() {
        ServerConfig config = ConfigLoader.load(Optional.empty(), java.util.Map.of(),
                java.util.Map.of("validation.Observation", "profiles"));
        org.junit.jupiter.api.Assertions.assertEquals(dev.fhirbolt.validation.ValidationMode.BASE,
                config.validation().modeFor("Patient"));
        org.junit.jupiter.api.Assertions.assertEquals(dev.fhirbolt.validation.ValidationMode.PROFILES,
                config.validation().modeFor("Observation"));
        assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
                java.util.Map.of(), java.util.Map.of("validation.Nonsense", "base")));
        assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(Optional.empty(),
                java.util.Map.of(), java.util.Map.of("validation", "strict")));
    }
}
