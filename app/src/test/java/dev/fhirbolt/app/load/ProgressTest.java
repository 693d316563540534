package dev.fhirbolt.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The progress line does not guess in its first seconds, moves with bytes sent, and counts in good English. */
class ProgressTest {

    @Test
    void noRateOrEtaBeforeTheWarmUpAndTheBarFollowsBytesSent() {
        try (Progress progress = new Progress(1, 1000, new PrintStream(new ByteArrayOutputStream()), false)) {
            progress.bytesSent.addAndGet(500);
            progress.sending.incrementAndGet();
            String line = progress.line();
            assertTrue(line.contains(" 50%"), line);
            assertTrue(line.contains("files 0/1 (1 in flight)"), line);
            assertTrue(line.contains("--/s") && line.contains("ETA --:--"), line);
            assertTrue(line.contains("resources 0 "), line);
        }
    }

    @Test
    void oneLargeBodyShowsItsBytesSentOfTheTotal() {
        try (Progress progress = new Progress(1, 40_000_000, new PrintStream(new ByteArrayOutputStream()), false)
                .showingBytes()) {
            progress.bytesSent.set(12_300_000);
            String line = progress.line();
            assertTrue(line.contains(" 31%  12.3 of 40.0 MB"), line);
        }
    }

    @Test
    void oneFileIsOneFile() {
        assertEquals("1 file", Progress.files(1));
        assertEquals("0 files", Progress.files(0));
        assertEquals("2 files", Progress.files(2));
    }
}
