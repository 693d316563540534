package dev.fhirbolt.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@code fhirclient} browser bundle (2.6.x), the very file the server ships with its sample app: vendored
 * unchanged from the npm tarball in {@code console/src/main/resources/dev/fhirbolt/console/sample-app/fhirclient/}
 * (the README there names the version, source and SHA-256; {@code scripts/update-fhirclient.sh} refreshes it). Nothing
 * is fetched at test time.
 */
final class FhirclientPackage {

    private static final Path DIR = Path.of("..", "console", "src", "main", "resources", "dev", "fhirbolt", "console",
            "sample-app", "fhirclient").toAbsolutePath().normalize();

    private FhirclientPackage() {
    }

    /** The published browser bundle, {@code build/fhir-client.min.js} of the package. */
    static Path browserBundle() {
        Path bundle = DIR.resolve("fhir-client.min.js");
        if (!Files.isRegularFile(bundle)) {
            throw new AssertionError("the vendored fhirclient bundle is missing: " + bundle
                    + " (scripts/update-fhirclient.sh puts it there)");
        }
        return bundle;
    }

    /** The vendored version, from the README beside the bundle. */
    static String version() throws IOException {
        return Files.readAllLines(DIR.resolve("README.md")).stream().filter(l -> l.startsWith("Version: "))
                .map(l -> l.substring("Version: ".length()).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("no 'Version:' line in " + DIR.resolve("README.md")));
    }
}
