package dev.fhirbolt.subscriptions.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import dev.fhirbolt.subscriptions.Audience;
import dev.fhirbolt.subscriptions.Criteria;
import dev.fhirbolt.subscriptions.SubscriptionSpec;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An https rest-hook endpoint is called only when its certificate is trusted and names the endpoint's host: anything
 * else is a delivery failure whose message (what Subscription.error says) tells the subscriber why.
 */
class RestHookTlsTest {

    private static final Message CHANGE = Message.resource("Observation/1",
            "{\"resourceType\":\"Observation\",\"id\":\"1\"}".getBytes(StandardCharsets.UTF_8));

    static SubscriptionSpec spec(String endpoint) {
        return new SubscriptionSpec("s1", 1, SubscriptionSpec.Status.ACTIVE, Optional.empty(),
                Criteria.parse("Observation"), SubscriptionSpec.ChannelType.REST_HOOK, endpoint, List.of(),
                Optional.of("application/fhir+json"), SubscriptionSpec.Content.FULL_RESOURCE, 0, 5, 100,
                Audience.EVERYTHING);
    }

    static String url(HttpsServer server) {
        return "https://localhost:" + server.getAddress().getPort() + "/hook";
    }

    @Test
    void aCertificateForAnotherHostIsRefusedEvenWhenTrusted() throws Exception {
        KeyStore wrongHost = TestCertificates.selfSigned("wrong.example");
        HttpsServer server = TestCertificates.endpoint(wrongHost);
        try (RestHookChannel channel = new RestHookChannel(TestCertificates.trusting(wrongHost))) {
            DeliveryException e = assertThrows(DeliveryException.class, () -> channel.send(spec(url(server)), CHANGE));
            assertTrue(e.subscriberFault());
            assertTrue(e.getMessage().startsWith("the rest-hook endpoint " + url(server) + " was refused: its TLS"
                    + " certificate is not for the host name localhost"), e.getMessage());
            assertTrue(e.getMessage().contains("wrong.example"), e.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedAndATrustedOneForTheRightHostIsCalled() throws Exception {
        KeyStore localhost = TestCertificates.selfSigned("localhost");
        HttpsServer server = TestCertificates.endpoint(localhost);
        try (RestHookChannel jdkTrust = new RestHookChannel();
                RestHookChannel trusting = new RestHookChannel(TestCertificates.trusting(localhost))) {
            DeliveryException e = assertThrows(DeliveryException.class,
                    () -> jdkTrust.send(spec(url(server)), CHANGE));
            assertTrue(e.subscriberFault());
            assertEquals("the rest-hook endpoint " + url(server) + " was refused: its TLS certificate is not trusted"
                    + " (not issued by a certificate authority in the trust store)", e.getMessage());
            trusting.send(spec(url(server)), CHANGE); // the same endpoint, its certificate trusted: delivered
        } finally {
            server.stop(0);
        }
    }
}
