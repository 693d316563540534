package dev.fhirbolt.app.admin;

import picocli.CommandLine.Option;

/** The options of every command that calls a running server's admin API: where it is and the admin password. */
public final class AdminOptions {

    @Option(names = "--server", defaultValue = "http://localhost:8080",
            description = "Base URL of the running server (default ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--admin-password", defaultValue = "${env:FHIRBOLT_ADMIN_PASSWORD}",
            description = "The server's admin password (default: $FHIRBOLT_ADMIN_PASSWORD).")
    String adminPassword;

    /** A client for the admin API of {@code --server}. */
    AdminClient client() {
        return new AdminClient(server);
    }

    /** Calls the admin API ({@code path} below {@code /auth/admin}) with the admin password. */
    com.fasterxml.jackson.databind.JsonNode call(String method, String path, String json) {
        return client().admin(method, path, adminPassword, json);
    }
}
