package dev.fhirbolt.bulk;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.contentstore.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Export files of a cluster: written on the node that runs the job, then copied into the content store in parts of
 * {@value #PART_BYTES} bytes ({@code export/<job>/<file>#<i>}), with a header naming the parts and the size written
 * last ({@code export/<job>/<file>}), so a file without a header is not there yet. Another node downloading the file
 * copies it part by part to its own disk first (memory holds one part) and serves it from there afterwards.
 * Export output is exact as of the job's transaction, so every node that runs the job writes the same bytes: a node
 * that takes over a job, or two that both wrote a file, write identical values under the same keys.
 */
public final class SharedExportFiles implements ExportFiles {

    private static final Logger LOG = LoggerFactory.getLogger(SharedExportFiles.class);
    static final int PART_BYTES = 4 << 20;
    private static final long WAIT_SECONDS = 120;

    private final LocalExportFiles local;
    private final ContentStore store;
    private final int partBytes;

    public SharedExportFiles(Path directory, ContentStore store) {
        this(directory, store, PART_BYTES);
    }

    /** With parts of {@code partBytes} (tests use small ones). */
    public SharedExportFiles(Path directory, ContentStore store, int partBytes) {
        if (partBytes < 1) {
            throw new IllegalArgumentException("parts must have at least one byte");
        }
        this.local = new LocalExportFiles(directory);
        this.store = store;
        this.partBytes = partBytes;
    }

    @Override
    public Path directory(String jobId) {
        return local.directory(jobId);
    }

    @Override
    public void publish(String jobId, String name) throws IOException {
        Path file = local.directory(jobId).resolve(name);
        long size = Files.size(file);
        int parts = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                byte[] part = in.readNBytes(partBytes);
                if (part.length == 0 && parts > 0) {
                    break;
                }
                await(store.put(key(jobId, name, parts), part), "storing part " + parts + " of " + name);
                parts++;
                if (part.length < partBytes) {
                    break;
                }
            }
        }
        await(store.put(key(jobId, name, -1), ByteBuffer.allocate(12).putInt(parts).putLong(size).array()),
                "storing the header of " + name);
    }

    @Override
    public Optional<Path> local(String jobId, String name) throws IOException {
        Optional<Path> here = local.local(jobId, name);
        if (here.isPresent()) {
            return here;
        }
        Optional<byte[]> header = await(store.get(key(jobId, name, -1)), "reading the header of " + name);
        if (header.isEmpty()) {
            return Optional.empty();
        }
        ByteBuffer h = ByteBuffer.wrap(header.get());
        int parts = h.getInt();
        long size = h.getLong();
        Path dir = local.directory(jobId);
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, ".download-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                for (int i = 0; i < parts; i++) {
                    byte[] part = await(store.get(key(jobId, name, i)), "reading part " + i + " of " + name)
                            .orElseThrow(() -> new IOException("a part of " + name + " is missing"));
                    out.write(part);
                }
            }
            if (Files.size(temp) != size) {
                throw new IOException(name + " has " + Files.size(temp) + " bytes, its header says " + size);
            }
            Path file = dir.resolve(name);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(file);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void delete(String jobId, Collection<String> names) {
        Set<String> all = new LinkedHashSet<>(names);
        all.addAll(local.names(jobId));
        for (String name : all) {
            if (name.startsWith(".download-")) {
                continue;
            }
            try {
                Optional<byte[]> header = await(store.get(key(jobId, name, -1)), "reading the header of " + name);
                // the header first: a file without one reads as absent, whatever parts are left
                await(store.delete(key(jobId, name, -1)), "deleting " + name);
                int parts = header.map(h -> ByteBuffer.wrap(h).getInt()).orElse(0);
                for (int i = 0; i < parts; i++) {
                    await(store.delete(key(jobId, name, i)), "deleting " + name);
                }
            } catch (RuntimeException | IOException e) {
                LOG.warn("could not delete the shared export file {} of {}: {}", name, jobId, e.getMessage());
            }
        }
        local.delete(jobId, names);
    }

    @Override
    public Collection<String> jobsHeld() {
        return local.jobsHeld();
    }

    /** {@code export/<job>/<file>} for the header ({@code part} -1), {@code ...#<part>} for a part. */
    static byte[] key(String jobId, String name, int part) {
        String key = "export/" + jobId + "/" + name + (part < 0 ? "" : "#" + part);
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> future, String what) throws IOException {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "the content store failed " + what + ": "
                    + e.getCause().getMessage(), null, e.getCause());
        } catch (TimeoutException e) {
            throw new FhirException(503, IssueType.TIMEOUT, "the content store did not answer " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted " + what);
        }
    }
}
