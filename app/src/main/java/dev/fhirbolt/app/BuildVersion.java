package dev.fhirbolt.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version Maven built this server as ({@code fhirbolt-version.properties}, filtered at build time), shown by
 * {@code fhirbolt --version}, {@code /metadata} and {@code /health}.
 */
public final class BuildVersion {

    private static final String VERSION = read();

    private BuildVersion() {
    }

    public static String version() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("/fhirbolt-version.properties")) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "").trim();
            return version.isEmpty() || version.startsWith("${") ? "development" : version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers {@code --version} for every command. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"Fhirbolt " + VERSION, "Java " + Runtime.version() + " ("
                    + System.getProperty("java.vendor", "unknown vendor") + ")"};
        }
    }
}
