package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** HTTPS with a configured certificate, and links that say https. */
class HttpsTest {

    @Test
    void servesHttpsWithConfiguredCertificate() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-tls");
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "fhirbolt", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"))
                .inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        int httpsPort;
        try (ServerSocket s = new ServerSocket(0)) {
            httpsPort = s.getLocalPort();
        }
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of("https-port",
                Integer.toString(httpsPort), "keystore", keystore.toString(), "keystore-password", "changeit"))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in = new FileInputStream(keystore.toFile())) {
                trust.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> created = https.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + httpsPort + "/Patient"))
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode());
            assertTrue(created.headers().firstValue("Location").orElseThrow()
                    .startsWith("https://localhost:" + httpsPort + "/Patient/"));
        }
    }
}
