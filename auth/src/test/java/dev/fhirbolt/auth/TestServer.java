package dev.fhirbolt.auth;

import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real Jetty server with the auth handler in front of a trivial "FHIR base" and a tiny test app
 * ({@code /app/callback}, {@code /app/launch}, {@code /app/jwks}), over a real RocksDB store in a temp dir.
 */
final class TestServer implements AutoCloseable {

    static final String ADMIN_PASSWORD = "admin-password-for-tests";
    static final String INITIAL_ACCESS_TOKEN = "initial-access-token-for-tests";

    final MutableClock clock = new MutableClock();
    final Path dir;
    final KvStore kv;
    final Server server;
    final int port;
    final String base;
    final AuthServer auth;
    volatile String appJwks = "{\"keys\":[]}";

    static final PatientDirectory DIRECTORY = new PatientDirectory() {
        final List<PatientChoice> patients = List.of(
                new PatientChoice("demo-patient-1", "Alice Demo", "1980-02-03", "female"),
                new PatientChoice("demo-patient-2", "Bob Demo", "1975-11-30", "male"),
                new PatientChoice("p-carol", "Carol Example", "2001-07-14", "female"));
        final List<EncounterChoice> encounters = List.of(new EncounterChoice("enc-1", "2024-03-02 Ambulatory visit"),
                new EncounterChoice("enc-2", "2024-05-20 Emergency visit"));

        @Override
        public List<PatientChoice> findPatients(String nameQuery, int limit) {
            String q = nameQuery == null ? "" : nameQuery.toLowerCase(Locale.ROOT);
            return patients.stream().filter(p -> p.name().toLowerCase(Locale.ROOT).contains(q)).limit(limit).toList();
        }

        @Override
        public List<EncounterChoice> encountersOf(String patientId, int limit) {
            return "demo-patient-1".equals(patientId) || "p-carol".equals(patientId) ? encounters : List.of();
        }

        @Override
        public boolean exists(String reference) {
            return patients.stream().anyMatch(p -> ("Patient/" + p.id()).equals(reference))
                    || encounters.stream().anyMatch(e -> ("Encounter/" + e.id()).equals(reference));
        }
    };

    TestServer() throws Exception {
        this(b -> b);
    }

    TestServer(java.util.function.UnaryOperator<AuthSettings.Builder> tweak) throws Exception {
        this(tweak, DIRECTORY);
    }

    TestServer(java.util.function.UnaryOperator<AuthSettings.Builder> tweak, PatientDirectory directory)
            throws Exception {
        dir = Files.createTempDirectory("fhirbolt-auth-test");
        kv = new RocksDbEngine(dir, 8L << 20).open(AuthServer.keyspaces());
        port = freePort();
        base = "http://localhost:" + port;
        AuthSettings settings = tweak.apply(AuthSettings.builder().demoSetup(true)
                .demoRedirectUris(List.of(base + "/app/callback"))
                .demoLaunchUrl(base + "/app/launch")
                .adminPassword(ADMIN_PASSWORD)
                .initialAccessToken(INITIAL_ACCESS_TOKEN)).build();
        auth = new AuthServer(settings, kv, clock, directory);
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setPort(port);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(auth.handler(), new AppHandler()));
        server.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The FHIR base and the test app. */
    private final class AppHandler extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String type = "text/html;charset=utf-8";
            String body;
            switch (path) {
                case "/app/callback" -> body = "<!DOCTYPE html><html><head><title>callback</title></head><body><p id=\"done\">app callback</p></body></html>";
                case "/app/launch" -> body = "<!DOCTYPE html><html><head><title>launch</title></head><body><p id=\"launched\">app launch</p></body></html>";
                case "/app/jwks" -> {
                    type = "application/json";
                    body = appJwks;
                }
                case "/metadata", "/" -> {
                    type = "application/fhir+json";
                    body = "{\"resourceType\":\"CapabilityStatement\"}";
                }
                default -> {
                    response.setStatus(404);
                    body = "not found";
                }
            }
            response.getHeaders().put("Content-Type", type);
            Content.Sink.write(response, true, body, callback);
            return true;
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
        auth.close();
        kv.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
