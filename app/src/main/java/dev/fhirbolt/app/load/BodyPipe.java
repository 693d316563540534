package dev.fhirbolt.app.load;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A request body written by a {@link LoadTarget.BodyWriter} on its own thread into a 64 KiB pipe while the reader
 * (the HTTP client, or the FHIR API offline) takes it from {@link #in()}: neither side holds more than the pipe.
 * {@link #finish()} waits for the writer; a problem of the input (a bad CSV or JSON file: an
 * {@link IllegalArgumentException}) is then the answer, whatever the reader made of the cut body.
 */
final class BodyPipe implements AutoCloseable {

    private static final int PIPE = 1 << 16;

    private final PipedInputStream in = new PipedInputStream(PIPE);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread writer;

    BodyPipe(LoadTarget.BodyWriter body) throws IOException {
        PipedOutputStream pipe = new PipedOutputStream(in);
        writer = Thread.ofVirtual().name("fhirbolt-body-writer").start(() -> {
            try (OutputStream out = new BufferedOutputStream(pipe, PIPE)) {
                body.writeTo(out);
            } catch (Exception e) {
                failure.set(e);
            }
        });
    }

    InputStream in() {
        return in;
    }

    /**
     * Closes the reading end (a writer still blocked on a full pipe, because the reader answered early, ends with
     * "Pipe closed"), waits for the writer and rethrows its input error.
     */
    void finish() throws IOException, InterruptedException {
        in.close();
        writer.join();
        if (failure.get() instanceof IllegalArgumentException e) {
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
