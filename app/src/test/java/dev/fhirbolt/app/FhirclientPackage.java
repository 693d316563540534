package dev.fhirbolt.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code fhirclient} npm package (2.6.x), fetched from the npm registry with {@code npm pack} into
 * {@code target/fhirclient/} the first time a test asks for it, never kept in the repository. Without npm the test
 * fails, saying so: it is never skipped silently.
 */
final class FhirclientPackage {

    static final String SPEC = "fhirclient@2.6";
    private static final Path DIR = Path.of("target", "fhirclient").toAbsolutePath();

    private FhirclientPackage() {
    }

    /** The browser bundle, {@code package/build/fhir-client.js}, fetched and unpacked when it is not there yet. */
    static synchronized Path browserBundle() throws Exception {
        Path bundle = DIR.resolve("package/build/fhir-client.js");
        if (Files.isRegularFile(bundle)) {
            return bundle;
        }
        Files.createDirectories(DIR);
        String tarball = lastLine(run(List.of("npm", "pack", "--silent", SPEC), "npm pack " + SPEC));
        run(List.of("tar", "xzf", tarball), "tar xzf " + tarball);
        if (!Files.isRegularFile(bundle)) {
            throw new AssertionError(SPEC + " was fetched as " + tarball + " but has no " + bundle);
        }
        return bundle;
    }

    /** The version that was unpacked, from its package.json. */
    static String version() throws IOException {
        String json = Files.readString(DIR.resolve("package/package.json"));
        return Smart.JSON.readTree(json).path("version").asText();
    }

    private static String run(List<String> command, String what) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("The fhirclient browser test needs " + command.get(0) + " to fetch " + SPEC
                    + " from the npm registry (on Debian: apt-get install nodejs npm; .ci/run installs them): "
                    + e.getMessage(), e);
        }
        p.getOutputStream().close();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(what + " took longer than 180 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(what + " failed with exit code " + p.exitValue() + ":\n" + out);
        }
        return out;
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1].strip();
    }
}
