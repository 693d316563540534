package dev.fhirbolt.app.load;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C and SIGTERM during a load. The first stops it: no further file starts, and what is still in flight after
 * {@link #GRACE_MILLIS} is abandoned: over HTTP its files are reported as of unknown fate; offline a transaction still
 * being planned stops before it commits (nothing of it is stored; one already committing ends first, which takes
 * seconds), then the data directory is flushed. The second ends the process at once (offline: as a kill, what was
 * not flushed is lost, the data directory stays consistent).
 */
final class Interruption {

    static final long GRACE_MILLIS = 2000;

    private final Loader loader;
    private final boolean overHttp;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicReference<String> first = new AtomicReference<>();
    private final java.util.List<Restore> previous = new java.util.ArrayList<>();

    private record Restore(Signal signal, SignalHandler handler) {
    }

    private Interruption(Loader loader, boolean overHttp) {
        this.loader = loader;
        this.overHttp = overHttp;
    }

    static Interruption install(Loader loader, boolean overHttp) {
        Interruption i = new Interruption(loader, overHttp);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                i.previous.add(new Restore(signal, Signal.handle(signal, i::handle)));
            } catch (IllegalArgumentException unavailable) {
                // no such signal here (or the JVM keeps it): the shutdown hook still stops the load
            }
        }
        return i;
    }

    /** The first signal received, "INT" or "TERM", if any. */
    Optional<String> signal() {
        return Optional.ofNullable(first.get());
    }

    void uninstall() {
        for (Restore r : previous) {
            try {
                Signal.handle(r.signal(), r.handler());
            } catch (IllegalArgumentException ignored) {
                // the JVM keeps it
            }
        }
    }

    private void handle(Signal signal) {
        if (count.incrementAndGet() > 1) {
            System.err.println("\nstopped at once (second interrupt); files in flight are not reported");
            System.err.flush();
            Runtime.getRuntime().halt(signal.getName().equals("TERM") ? 143 : 130);
        }
        first.compareAndSet(null, signal.getName());
        loader.cancel();
        if (overHttp) {
            System.err.println("\ninterrupted: no further file starts; sends still in flight in "
                    + GRACE_MILLIS / 1000 + " s are abandoned (Ctrl-C again to stop at once)");
        } else {
            System.err.println("\ninterrupted: no further file starts; transactions not committed in "
                    + GRACE_MILLIS / 1000 + " s are abandoned (nothing of them is stored), then the data directory"
                    + " is flushed (Ctrl-C again to stop at once, losing what is not flushed)");
        }
        Thread.ofPlatform().daemon().name("fhirbolt-load-abort").start(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            loader.abort();
        });
        System.err.flush();
    }
}
