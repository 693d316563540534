package dev.fhirbolt.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files served from the jar: a fixed set of names below one folder next to this class, each with its content type,
 * read once and kept (they are small and never change while the server runs).
 */
final class ClasspathFiles {

    /** A file's bytes and content type. */
    record File(byte[] bytes, String type) {
    }

    private final String folder;
    private final Map<String, String> types;
    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    /** {@code types}: the names served, each with its content type; any other name is not there. */
    ClasspathFiles(String folder, Map<String, String> types) {
        this.folder = folder;
        this.types = Map.copyOf(types);
    }

    /** The named file; empty when it is not one of the names served or is missing from the jar. */
    Optional<File> get(String name) {
        String type = types.get(name);
        if (type == null) {
            return Optional.empty();
        }
        byte[] bytes = loaded.get(name);
        if (bytes == null) {
            try (InputStream in = ClasspathFiles.class.getResourceAsStream(folder + "/" + name)) {
                if (in == null) {
                    return Optional.empty();
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + folder + "/" + name + " from the jar", e);
            }
            loaded.put(name, bytes);
        }
        return Optional.of(new File(bytes, type));
    }
}
