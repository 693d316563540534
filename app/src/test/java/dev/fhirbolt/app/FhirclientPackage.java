package dev.fhirbolt.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
        try (Stream<Path> old = Files.list(DIR)) {
            for (Path f : old.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList()) {
                Files.delete(f);
            }
        }
        run(List.of("npm", "pack", "--silent", SPEC), "npm pack " + SPEC);
        String tarball;
        try (Stream<Path> files = Files.list(DIR)) {
            tarball = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("fhirclient-2\\.6\\.\\d+\\.tgz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("npm pack " + SPEC + " left no fhirclient-2.6.*.tgz in " + DIR));
        }
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

    private static void run(List<String> command, String what) throws Exception {
        Process p;
        Path log = DIR.resolve("command.log");
        try {
            ProcessBuilder b = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            b.environment().put("npm_config_update_notifier", "false");
            b.environment().put("npm_config_fund", "false");
            p = b.start();
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
        if (p.exitValue() != 0) {
            throw new AssertionError(what + " failed with exit code " + p.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
