package dev.fhirbolt.app.admin;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options that name a backend-services client made with {@code fhirbolt client add} and the scopes to ask for:
 * {@code fhirbolt token} and {@code fhirbolt load --server} take them.
 */
public final class ClientKeyOptions {

    @Option(names = "--client", description = "The client id (its key file is ~/.fhirbolt/clients/<id>.json).")
    String client;

    @Option(names = "--key-file", description = "The client's key file (instead of --client).")
    Path keyFile;

    @Option(names = "--scope", description = "The scopes to ask for (default: all the client was registered with).")
    String scope;

    /** Whether a client was named at all. */
    public boolean given() {
        return client != null || keyFile != null;
    }

    KeyFile read() {
        if (!given()) {
            throw new CommandException("say which client: --client <id> or --key-file <file>");
        }
        return KeyFile.read(keyFile != null ? keyFile : KeyFile.defaultPath(client));
    }

    /** Tokens for this client from {@code server} (null: the server in its key file), renewed as they expire. */
    public RenewingToken tokens(String server) {
        KeyFile key = read();
        return new RenewingToken(key, server != null ? server : key.server(), scope != null ? scope : key.scope(),
                java.time.Clock.systemUTC());
    }
}
