package dev.fhirbolt.app.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.storage.KvStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Backups of a data directory, taken while the server runs, and their restore.
 *
 * <p>A backup is a folder {@code fhirbolt-backup-<time>} holding {@code db/}, a checkpoint of the database (every
 * keyspace as of one moment, every commit whole), and {@code fhirbolt-backup.json}, its manifest. It is made under a
 * temporary name and renamed when complete, so a folder with the final name is always a whole backup. On the same
 * file system the checkpoint hard-links the database's immutable files: it takes a moment and little space, and the
 * folder can then be copied elsewhere like any other. The console's state (its lists of loads and exports and the
 * last hour of requests, {@code <data-dir>/console/}) is copied beside it as {@code console/}. Restoring copies
 * {@code db/} and {@code console/} into a new data directory.
 */
public final class Backups {

    /** The console's state folder, in a data directory and in a backup. */
    public static final String CONSOLE = "console";
    /** The manifest's file name inside a backup folder. */
    public static final String MANIFEST = "fhirbolt-backup.json";
    private static final String PREFIX = "fhirbolt-backup-";
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A backup folder and what its manifest says. */
    public record Backup(Path directory, Instant created, String serverVersion, long lastTransaction, long bytes) {

        public ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("backup", directory.toString());
            o.put("created", created.toString());
            o.put("serverVersion", serverVersion);
            o.put("lastTransaction", lastTransaction);
            o.put("bytes", bytes);
            return o;
        }
    }

    private Backups() {
    }

    /**
     * Writes a backup of {@code kv} into a new folder under {@code root}.
     *
     * @param lastTransaction the last transaction number whose writes the store held when it was called (the backup
     *                        holds at least those)
     */
    public static Backup create(KvStore kv, long lastTransaction, Path root, String serverVersion, Clock clock) {
        return create(kv, lastTransaction, root, serverVersion, clock, null);
    }

    /**
     * As {@link #create(KvStore, long, Path, String, Clock)}, with the console's state folder (each of its files as it
     * is at that moment: they are rewritten whole by renaming, so none is copied half-written; temporary files are
     * left out).
     *
     * @param consoleDir the data directory's {@code console/} folder, or null
     */
    public static Backup create(KvStore kv, long lastTransaction, Path root, String serverVersion, Clock clock,
            Path consoleDir) {
        Instant created = clock.instant();
        try {
            Files.createDirectories(root);
            Path target = freeName(root, PREFIX + NAME_TIME.format(created));
            Path partial = root.resolve(target.getFileName() + ".partial");
            deleteTree(partial);
            Files.createDirectories(partial);
            kv.checkpoint(partial.resolve("db"));
            if (consoleDir != null && Files.isDirectory(consoleDir)) {
                copyTree(consoleDir, partial.resolve(CONSOLE));
            }
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format", 1);
            manifest.put("created", created.toString());
            manifest.put("serverVersion", serverVersion);
            manifest.put("lastTransaction", lastTransaction);
            Files.write(partial.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return read(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a backup under " + root + ": " + e.getMessage(), e);
        }
    }

    /** The complete backups under {@code root}, oldest first (none when it does not exist). */
    public static List<Backup> list(Path root) {
        List<Backup> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path p : children.filter(p -> Files.isRegularFile(p.resolve(MANIFEST))).toList()) {
                found.add(read(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the backups in " + root + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(Backup::created));
        return found;
    }

    /** Reads a backup folder's manifest; a folder without one is not a backup (a clear message says so). */
    public static Backup read(Path directory) {
        Path manifest = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest) || !Files.isDirectory(directory.resolve("db"))) {
            throw new IllegalArgumentException(directory + " is not a Fhirbolt backup (it has no " + MANIFEST
                    + " and db/ folder); give the folder that `fhirbolt backup` printed");
        }
        try {
            JsonNode m = JSON.readTree(manifest.toFile());
            return new Backup(directory, Instant.parse(m.path("created").asText()), m.path("serverVersion").asText(),
                    m.path("lastTransaction").asLong(), size(directory));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the manifest " + manifest + " is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code dataDir} a copy of the backup: it must not exist or be empty. The copy is made under a temporary
     * name beside it and renamed when complete, so an interrupted restore leaves no half-made data directory.
     */
    public static Backup restore(Path backupDir, Path dataDir) {
        Backup backup = read(backupDir);
        try {
            if (Files.exists(dataDir) && !isEmptyDirectory(dataDir)) {
                throw new IllegalArgumentException(dataDir + " is not empty; restore into a new or empty directory"
                        + " (move the old data directory aside first)");
            }
            Path parent = dataDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path partial = parent.resolve(dataDir.getFileName() + ".restoring");
            deleteTree(partial);
            copyTree(backupDir.resolve("db"), partial.resolve("db"));
            if (Files.isDirectory(backupDir.resolve(CONSOLE))) {
                copyTree(backupDir.resolve(CONSOLE), partial.resolve(CONSOLE));
            }
            Files.deleteIfExists(dataDir);
            Files.move(partial, dataDir, StandardCopyOption.ATOMIC_MOVE);
            return backup;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore into " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static Path freeName(Path root, String name) {
        Path candidate = root.resolve(name);
        for (int n = 2; Files.exists(candidate); n++) {
            candidate = root.resolve(name + "-" + n);
        }
        return candidate;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith(".tmp")) {
                    try {
                        Files.copy(p, target);
                    } catch (java.nio.file.NoSuchFileException gone) {
                        // a file replaced while the folder was read: its new version was listed too
                    }
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
