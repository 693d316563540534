package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * A rest-hook endpoint on https whose certificate the server does not trust (self-signed, made here by the JDK's
 * keytool) gets nothing: the subscription goes to error and says why. (A trusted certificate for another host name is
 * refused the same way, with "not for the host name" as the reason: {@code RestHookTlsTest} in the subscriptions
 * module, which can give the client a trust store of its own.)
 */
class SubscriptionTlsTest {

    @Test
    void anEndpointWithAnUntrustedCertificateIsRefusedWithTheReason() throws Exception {
        Path keystore = Files.createTempDirectory("fhirbolt-hook-tls").resolve("endpoint.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "endpoint", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit"))
                .inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (var in = new FileInputStream(keystore.toFile())) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        HttpsServer endpoint = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        endpoint.setHttpsConfigurator(new HttpsConfigurator(tls));
        AtomicInteger calls = new AtomicInteger();
        endpoint.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        endpoint.start();
        String url = "https://localhost:" + endpoint.getAddress().getPort() + "/hook";
        try (TestServer s = TestServer.start()) {
            String id = SubscriptionTest.create(s, SubscriptionTest.subscription("Observation?code=http://loinc.org|1",
                    "{\"type\":\"rest-hook\",\"endpoint\":\"" + url + "\",\"payload\":\"application/fhir+json\"}"));
            SubscriptionTest.awaitStatus(s, id, "active");
            assertEquals(201, s.send("PUT", "/Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}")
                    .statusCode());
            SubscriptionTest.create(s, SubscriptionTest.observation("1", "p1"));
            JsonNode failed = SubscriptionTest.awaitStatus(s, id, "error");
            assertEquals("the rest-hook endpoint " + url + " was refused: its TLS certificate is not trusted (not issued"
                    + " by a certificate authority in the trust store)", failed.path("error").asText());
            assertEquals(0, calls.get(), "no request reached the endpoint");
        } finally {
            endpoint.stop(0);
        }
    }
}
