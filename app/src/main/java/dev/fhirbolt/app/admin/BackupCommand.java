package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fhirbolt.app.backup.BackupHandler;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fhirbolt backup}: a backup of a running server, written by the server into its backup directory. */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Back up a running server while it serves (admin credentials needed): the server writes a"
                + " consistent copy of its database into its backup-dir and this prints the folder.",
                "A stopped server's data directory can simply be copied."})
public final class BackupCommand implements Callable<Integer> {

    @Mixin
    AdminOptions server = new AdminOptions();
    @Option(names = "--list", description = "List the backups in the server's backup directory instead.")
    boolean list;

    @Override
    public Integer call() {
        AdminClient admin = server.client();
        if (list) {
            JsonNode answer = admin.withAdminCredentials("GET", BackupHandler.PATH, server.adminPassword, null,
                    Duration.ofSeconds(30));
            System.out.println("backups in " + answer.path("directory").asText() + ":");
            for (JsonNode b : answer.path("backups")) {
                System.out.println(describe(b));
            }
            return 0;
        }
        JsonNode made = admin.withAdminCredentials("POST", BackupHandler.PATH, server.adminPassword, null,
                Duration.ofMinutes(30));
        System.out.println(describe(made));
        System.out.println("restore it with: fhirbolt restore " + made.path("backup").asText()
                + " --data-dir NEW_DATA_DIR");
        return 0;
    }

    private static String describe(JsonNode b) {
        return b.path("backup").asText() + "  (" + b.path("created").asText() + ", transactions up to "
                + b.path("lastTransaction").asLong() + ", " + (b.path("bytes").asLong() + 1024 * 1024 - 1) / (1024 * 1024)
                + " MB, Fhirbolt " + b.path("serverVersion").asText() + ")";
    }
}
