package dev.fhirbolt.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whether a start made its data directory; a failed start removes one it made, so no half-made directory stays. */
record NewDataDir(Path dir, boolean created) {

    static NewDataDir remember(Path dir) {
        return new NewDataDir(dir, !Files.exists(dir));
    }

    void discardIfNew() {
        if (!created || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(NewDataDir.class).warn("could not remove {} after a failed start: {}",
                    dir, e.getMessage());
        }
    }
}
