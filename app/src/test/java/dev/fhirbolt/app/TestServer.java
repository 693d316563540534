package dev.fhirbolt.app;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import dev.fhirbolt.fhir.Fhir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** A real Fhirbolt on a free port and a fresh data directory, with clients to talk to it. */
final class TestServer implements AutoCloseable {

    final Path dataDir;
    final FhirboltServer server;
    final String base;
    final HttpClient http = HttpClient.newHttpClient();

    private TestServer(Path dataDir, FhirboltServer server) {
        this.dataDir = dataDir;
        this.server = server;
        this.base = "http://localhost:" + server.port();
    }

    static TestServer start() throws Exception {
        return start(Files.createTempDirectory("fhirbolt-test"), Map.of());
    }

    static TestServer start(Path dataDir, Map<String, String> flags) throws Exception {
        var all = new java.util.HashMap<String, String>(Map.of("port", "0", "data-dir", dataDir.toString(),
                "security", "off", "demo-setup", "false", "audit", "off"));
        all.putAll(flags);
        ServerConfig config = ConfigLoader.load(Optional.empty(), Map.of(), all);
        return new TestServer(dataDir, FhirboltServer.start(config));
    }

    TestServer restart() throws Exception {
        server.close();
        return start(dataDir, Map.of());
    }

    IGenericClient client() {
        var ctx = Fhir.context();
        ctx.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return ctx.newRestfulGenericClient(base);
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !java.util.Arrays.asList(headers).contains("Content-Type")) {
            b.header("Content-Type", "application/fhir+json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    @Override
    public void close() {
        server.close();
    }
}
