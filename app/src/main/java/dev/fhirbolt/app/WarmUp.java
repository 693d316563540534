package dev.fhirbolt.app;

import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.fhir.SummaryMode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The server's start-up warm-up, on a thread of its own: runs the slow class initialisers of Jetty, builds HAPI's
 * context and the built-in search parameters (read from a file since the fifth session; scanning HAPI's model for them
 * took 1.5–2 s of CPU) and parses and renders once, so that the first request is not the slow one. It runs once per JVM: {@code fhirbolt serve} begins it before the command line is parsed and the
 * logging configured ({@link Main}), so that it overlaps that work too; {@link FhirboltServer} begins it (if nobody
 * has) and waits for it before it listens.
 */
final class WarmUp {

    private static Thread thread;
    private static final java.util.concurrent.atomic.AtomicBoolean modelScanBegun =
            new java.util.concurrent.atomic.AtomicBoolean();

    private WarmUp() {
    }

    /** Starts the warm-up unless it has been started in this JVM already; returns its thread. */
    static synchronized Thread begin() {
        if (thread == null) {
            thread = Thread.ofPlatform().name("fhirbolt-warm-up").daemon().start(WarmUp::run);
        }
        return thread;
    }

    /**
     * Once the server listens: has HAPI scan the model of every resource type on a background thread, what the first
     * write of each type would otherwise do on its request thread (a type's scan takes the types it references along,
     * up to a second for the first Observation). Before the fifth session this scan ran before the server listened.
     */
    static void modelInBackground() {
        if (modelScanBegun.getAndSet(true)) {
            return; // once per JVM (tests start many servers)
        }
        Thread.ofPlatform().name("fhirbolt-model-scan").daemon().priority(Thread.MIN_PRIORITY).start(() -> {
            for (String type : dev.fhirbolt.fhir.Fhir.resourceTypes()) {
                dev.fhirbolt.fhir.Fhir.context().getResourceDefinition(type);
            }
        });
    }

    /** Whether the command line {@code args} run the server (the first word that is not an option is "serve"). */
    static boolean serves(String[] args) {
        for (String arg : args) {
            if (!arg.startsWith("-")) {
                return "serve".equals(arg);
            }
        }
        return false;
    }

    private static void run() {
        // Jetty's class initialisers that the main thread would otherwise run when it builds the server: MimeTypes asks
        // for every available locale, the thread pool's queue for the platform MBean server (about 0.3 s together)
        initialise("org.eclipse.jetty.http.MimeTypes");
        initialise("org.eclipse.jetty.util.BlockingArrayQueue");
        dev.fhirbolt.search.param.BuiltinAccess.load();
        var resource = ResourceReader.read(
                "{\"resourceType\":\"Patient\",\"active\":true}".getBytes(StandardCharsets.UTF_8), FhirFormat.JSON);
        ResourceWriter.render(resource, new RenderOptions(FhirFormat.XML, false, SummaryMode.FALSE, Optional.empty()));
    }

    private static void initialise(String className) {
        try {
            Class.forName(className, true, WarmUp.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
