package dev.fhirbolt.app.admin;

import dev.fhirbolt.app.backup.Backups;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fhirbolt restore BACKUP --data-dir DIR}: a new data directory from a backup, for a server to start on. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Make a new data directory from a backup folder (as `fhirbolt backup` printed it); then start"
                + " a server on it with --data-dir.")
public final class RestoreCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "The backup folder.")
    Path backup;
    @Option(names = "--data-dir", required = true, description = "The data directory to make: new or empty.")
    Path dataDir;

    @Override
    public Integer call() {
        Backups.Backup restored;
        try {
            restored = Backups.restore(backup, dataDir);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        System.out.println("restored " + restored.directory() + " (" + restored.created() + ", transactions up to "
                + restored.lastTransaction() + ") into " + dataDir.toAbsolutePath());
        System.out.println("start it with: fhirbolt serve --data-dir " + dataDir);
        return 0;
    }
}
