package dev.fhirbolt.app.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line on stderr: files, resources, rate and ETA (from bytes done). Redrawn in place on a terminal, printed
 * every few seconds otherwise so logs stay readable.
 */
final class Progress implements AutoCloseable {

    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong resources = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    private final long filesTotal;
    private final long bytesTotal;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    Progress(long filesTotal, long bytesTotal, PrintStream out, boolean enabled) {
        this.filesTotal = filesTotal;
        this.bytesTotal = Math.max(1, bytesTotal);
        this.out = out;
        this.terminal = System.console() != null;
        this.thread = enabled ? Thread.ofPlatform().daemon().name("fhirbolt-load-progress").start(this::run) : null;
    }

    private void run() {
        long lastPrint = 0;
        while (running) {
            try {
                Thread.sleep(terminal ? 250 : 1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            if (terminal) {
                out.print("\r" + line() + "   ");
                out.flush();
            } else if (now - lastPrint > 5_000_000_000L) {
                out.println(line());
                lastPrint = now;
            }
        }
    }

    double seconds() {
        return Math.max(1e-3, (System.nanoTime() - started) / 1e9);
    }

    String line() {
        double secs = seconds();
        double fraction = Math.min(1.0, bytesDone.get() / (double) bytesTotal);
        int width = 24;
        int filled = (int) Math.round(fraction * width);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        double rate = resources.get() / secs;
        String eta = fraction <= 0 ? "--:--" : duration((long) (secs / fraction - secs));
        return String.format(Locale.ROOT, "[%s] %3.0f%%  files %d/%d  resources %,d  %,.0f/s  ETA %s%s", bar,
                fraction * 100, filesDone.get(), filesTotal, resources.get(), rate, eta,
                errors.get() == 0 ? "" : "  errors " + errors.get());
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60) : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (terminal) {
                out.print("\r" + line() + "   \n");
            }
        }
    }
}
