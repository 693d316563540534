package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small JSON document the console keeps across restarts (its lists of loads and exports), in a file of the data
 * directory, rewritten whole and atomically (a temporary file moved over it). Without a file nothing is kept. A file
 * that cannot be read or written is logged and otherwise ignored: the lists are a convenience, never worth a failed page.
 */
final class StateFile {

    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);
    private final Path file;

    /** @param file where the document lives; null keeps nothing */
    StateFile(Path file) {
        this.file = file;
    }

    static StateFile none() {
        return new StateFile(null);
    }

    /** The document as last written; missing when there is none or it cannot be read. */
    JsonNode read() {
        if (file == null || !Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            return JsonTexts.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            LOG.warn("Cannot read the console's {}: {}", file, e.toString());
            return MissingNode.getInstance();
        }
    }

    synchronized void write(JsonNode document) {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, document.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot write the console's {}: {}", file, e.toString());
        }
    }
}
