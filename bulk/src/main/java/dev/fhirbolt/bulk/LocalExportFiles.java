package dev.fhirbolt.bulk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Export files in a directory of this server: one directory per job, one file per type. */
public final class LocalExportFiles implements ExportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(LocalExportFiles.class);

    private final Path root;

    public LocalExportFiles(Path root) {
        this.root = root;
    }

    @Override
    public Path directory(String jobId) {
        return root.resolve(jobId);
    }

    @Override
    public void publish(String jobId, String name) {
    }

    @Override
    public Optional<Path> local(String jobId, String name) {
        Path file = directory(jobId).resolve(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    @Override
    public void delete(String jobId, Collection<String> names) {
        Path dir = directory(jobId);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}", dir, e);
        }
    }

    @Override
    public Collection<String> jobsHeld() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(root)) {
            return paths.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The names of the files this node holds of the job. */
    List<String> names(String jobId) {
        Path dir = directory(jobId);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
