package dev.fhirbolt.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What a start needs from the machine, checked before the data directory is touched, so that a start that cannot
 * succeed says why in words and leaves nothing behind: the keystore opens with its password, the ports are free.
 */
final class StartupChecks {

    private StartupChecks() {
    }

    /** With an HTTPS port: the keystore exists and opens with the configured password. */
    static void keystore(ServerConfig config) {
        if (config.httpsPort().isEmpty()) {
            return;
        }
        Path file = config.keystore().orElseThrow(() -> new ConfigLoader.ConfigException(
                "https-port needs a keystore (PKCS12 file holding the certificate and key)"));
        if (!Files.isRegularFile(file)) {
            throw new ConfigLoader.ConfigException("the keystore " + file + " does not exist (setting keystore)");
        }
        char[] password = config.keystorePassword().map(String::toCharArray).orElse(null);
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("password")) {
                throw new ConfigLoader.ConfigException("the keystore " + file + " cannot be opened with the given"
                        + " keystore-password: the password is wrong");
            }
            throw new ConfigLoader.ConfigException("the keystore " + file + " cannot be read as a PKCS12 keystore: "
                    + e.getMessage());
        } catch (java.security.GeneralSecurityException e) {
            throw new ConfigLoader.ConfigException("the keystore " + file + " cannot be read as a PKCS12 keystore: "
                    + e.getMessage());
        }
    }

    /** Binds the connector's port now; one that is taken is a {@link StartupException} naming it. */
    static void bind(ServerConnector connector, String setting) {
        try {
            connector.open();
        } catch (IOException e) {
            String host = connector.getHost() == null ? "0.0.0.0" : connector.getHost();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new StartupException("port " + connector.getPort() + " is already in use (on " + host
                        + "): stop whatever listens there, or choose another " + setting);
            }
            throw new StartupException("cannot listen on " + host + ":" + connector.getPort() + " ("
                    + e.getMessage() + ")");
        }
    }

    /** A start that cannot succeed; the message says why in words. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message);
        }
    }
}
