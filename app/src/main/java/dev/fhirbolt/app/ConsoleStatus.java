package dev.fhirbolt.app;

import dev.fhirbolt.auth.AdminService;
import dev.fhirbolt.auth.AuthServer;
import dev.fhirbolt.authz.SecurityMode;
import dev.fhirbolt.console.ServerStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the console's dashboard shows about the server: security mode, data size, the operator's warnings and the
 * last hour of requests.
 */
final class ConsoleStatus implements ServerStatus {

    private static final long KEEP_NANOS = Duration.ofSeconds(30).toNanos();
    private final ServerConfig config;
    private final AdminService admin;
    private final dev.fhirbolt.app.metrics.RequestHistory history;
    private volatile long sizeAt;
    private volatile long size = -1;
    private final dev.fhirbolt.search.SearchParameterRegistry registry;

    ConsoleStatus(ServerConfig config, AdminService admin, dev.fhirbolt.app.metrics.RequestHistory history,
            dev.fhirbolt.search.SearchParameterRegistry registry) {
        this.config = config;
        this.admin = admin;
        this.history = history;
        this.registry = registry;
    }

    @Override
    public List<ReferenceParam> referencesTo(String type) {
        List<ReferenceParam> out = new ArrayList<>();
        for (String source : new java.util.TreeSet<>(dev.fhirbolt.fhir.Fhir.resourceTypes())) {
            for (dev.fhirbolt.search.param.CompiledParam p : registry.indexed(source)) {
                if (p.type() == dev.fhirbolt.search.param.ParamType.REFERENCE && p.hasPath()
                        && (p.def().targets().isEmpty() || p.def().targets().contains(type))) {
                    out.add(new ReferenceParam(source, p.code()));
                }
            }
        }
        return out;
    }

    @Override
    public List<RequestSample> requests() {
        return history.samples().stream().map(s -> new RequestSample(s.minute(), s.requests(), s.p50(), s.p95(),
                s.p99())).toList();
    }

    @Override
    public Snapshot snapshot() {
        List<String> warnings = new ArrayList<>();
        boolean secured = config.security() == SecurityMode.SMART;
        if (!secured) {
            warnings.add("Security is off (development mode): the FHIR API needs no token; anyone who can reach"
                    + " this server can read and change everything.");
        }
        List<String> demo = Stream.of(AuthServer.DEMO_PRACTITIONER, AuthServer.DEMO_PATIENT_1,
                AuthServer.DEMO_PATIENT_2).filter(u -> admin.user(u).isPresent()).toList();
        if (!demo.isEmpty()) {
            warnings.add("Demo users are present (" + String.join(", ", demo) + "): their passwords are published"
                    + " in the documentation. Delete them or set demo-setup=false before real use.");
        }
        if (admin.client(AuthServer.DEMO_CLIENT_ID).isPresent()) {
            warnings.add("The demo app client '" + AuthServer.DEMO_CLIENT_ID + "' is registered.");
        }
        String password = config.adminPassword().orElse("");
        if (!password.isEmpty() && (password.equals("change-me") || password.length() < 12)) {
            warnings.add("The admin password is the documentation's example or shorter than 12 characters.");
        }
        return new Snapshot(secured ? "SMART" : "off", dataBytes(), List.copyOf(warnings));
    }

    private long dataBytes() {
        long now = System.nanoTime();
        if (size >= 0 && now - sizeAt < KEEP_NANOS) {
            return size;
        }
        long total = 0;
        try (Stream<Path> files = Files.walk(config.dataDir())) {
            total = files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            // a file vanished during compaction: the next look counts again
        }
        size = total;
        sizeAt = now;
        return total;
    }
}
