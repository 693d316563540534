package dev.fhirbolt.app.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress line on stderr: files (and how many are in flight), resources, rate and ETA. The bar follows the bytes
 * sent of bundles (over HTTP a large bundle moves it while it uploads; offline while its entries are read and written,
 * {@link dev.fhirbolt.rest.BodyProgress}) and the bytes of NDJSON batches done; resources are counted as they commit
 * (a transaction commits all of its resources at once). Rate and ETA are taken
 * over the last {@link #WINDOW_NANOS} and shown once {@link #WARM_UP_NANOS} have passed, so the first seconds do not
 * swing them. Redrawn in place on a terminal, printed every few seconds otherwise so logs stay readable.
 */
final class Progress implements AutoCloseable {

    final AtomicLong filesDone = new AtomicLong();
    final AtomicLong resources = new AtomicLong();
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong bytesSent = new AtomicLong();
    final AtomicLong sending = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    static final long WINDOW_NANOS = 10_000_000_000L;
    static final long WARM_UP_NANOS = 3_000_000_000L;

    /** One look at the counters: when, bytes progressed, resources committed. */
    private record Sample(long nanos, long bytes, long resources) {
    }

    private final java.util.ArrayDeque<Sample> samples = new java.util.ArrayDeque<>();

    private final long filesTotal;
    private final long bytesTotal;
    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean bytesShown;

    Progress(long filesTotal, long bytesTotal, PrintStream out, boolean enabled) {
        this.filesTotal = filesTotal;
        this.bytesTotal = Math.max(1, bytesTotal);
        this.out = out;
        this.terminal = System.console() != null;
        this.thread = enabled ? Thread.ofPlatform().daemon().name("fhirbolt-load-progress").start(this::run) : null;
    }

    /** Also shows the bytes sent of the total ("12.3 of 40.0 MB"): for one large body. */
    Progress showingBytes() {
        bytesShown = true;
        return this;
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

    synchronized String line() {
        long now = System.nanoTime();
        long bytes = Math.min(bytesTotal, bytesDone.get() + bytesSent.get());
        long committed = resources.get();
        samples.addLast(new Sample(now, bytes, committed));
        while (samples.size() > 2 && now - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double window = Math.max(1e-3, (now - first.nanos()) / 1e9);
        boolean warm = now - started >= WARM_UP_NANOS;
        double fraction = bytes / (double) bytesTotal;
        int width = 24;
        int filled = (int) Math.round(fraction * width);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String rate = warm ? String.format(Locale.ROOT, "%,.0f/s", (committed - first.resources()) / window) : "--/s";
        double byteRate = (bytes - first.bytes()) / window;
        String eta = !warm || byteRate <= 0 ? "--:--" : duration((long) ((bytesTotal - bytes) / byteRate));
        long inFlight = sending.get();
        String sent = bytesShown ? String.format(Locale.ROOT, "  %,.1f of %,.1f MB", bytes / 1e6, bytesTotal / 1e6)
                : "";
        return String.format(Locale.ROOT, "[%s] %3.0f%%%s  files %d/%d%s  resources %,d  %s  ETA %s%s", bar,
                fraction * 100, sent, filesDone.get(), filesTotal, inFlight == 0 ? "" : " (" + inFlight + " in flight)",
                committed, rate, eta, errors.get() == 0 ? "" : "  errors " + errors.get());
    }

    /** "1 file", "2 files". */
    static String files(long n) {
        return n == 1 ? "1 file" : n + " files";
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
