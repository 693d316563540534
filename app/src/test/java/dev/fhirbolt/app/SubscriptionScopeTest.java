package dev.fhirbolt.app;

import static dev.fhirbolt.app.SmartEnforcementTest.A;
import static dev.fhirbolt.app.SmartEnforcementTest.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** With SMART on, a subscription delivers only what its creator's token may read. */
class SubscriptionScopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPatientScopedSubscriberNeverGetsAnotherPatientsResource() throws Exception {
        try (HookReceiver hook = new HookReceiver(); FhirboltServer server = FhirboltServer.start(ConfigLoader.load(
                Optional.empty(), Map.of(), Map.of("port", "0", "data-dir",
                        Files.createTempDirectory("fhirbolt-subscope").toString(), "security", "smart",
                        "admin-password", "admin-secret-sub", "demo-setup", "true", "audit", "off")))) {
            Smart smart = new Smart("http://localhost:" + server.port(), "admin-secret-sub");
            smart.registerPublicApp("sub-app");
            KeyPair key = smart.registerBackend("writer", "system/*.cruds");
            String system = smart.backendToken("writer", key, "system/*.cruds");
            String patientToken = smart.userToken("sub-app", "patient1", "patient1-demo",
                    "launch/patient patient/*.cruds", null).get("access_token").asText();

            Smart.Res created = smart.fhir(patientToken, "POST", "/Subscription", SubscriptionTest.subscription(
                    "Observation?status=final", "{\"type\":\"rest-hook\",\"endpoint\":\"" + hook.url()
                    + "\",\"payload\":\"application/fhir+json\"}"));
            assertEquals(201, created.status(), created.body());
            String subscriptionJson = created.body();
            assertTrue(subscriptionJson.contains("Patient/" + A), "the reach is recorded: " + subscriptionJson);

            Smart.Res other = smart.fhir(system, "POST", "/Observation", SubscriptionTest.observation("1-1", B));
            assertEquals(201, other.status(), other.body());
            Smart.Res own = smart.fhir(system, "POST", "/Observation", SubscriptionTest.observation("1-1", A));
            assertEquals(201, own.status(), own.body());
            String ownId = JSON.readTree(own.body()).path("id").asText();

            HookReceiver.Call call = hook.next(Duration.ofSeconds(20));
            assertEquals("/hook/Observation/" + ownId, call == null ? null : call.path());
            assertNull(hook.next(Duration.ofMillis(500)), "nothing of the other patient");

            // a client cannot widen the recorded reach by sending its own
            String forged = SubscriptionTest.subscription("Observation?status=final", "{\"type\":\"rest-hook\","
                    + "\"endpoint\":\"" + hook.url() + "\"}").replace("{\"resourceType\":\"Subscription\",",
                    "{\"resourceType\":\"Subscription\",\"extension\":[{\"url\":"
                    + "\"http://fhirbolt.dev/StructureDefinition/subscription-reach\",\"valueString\":\"* *\"}],");
            Smart.Res forgedRes = smart.fhir(patientToken, "POST", "/Subscription", forged);
            assertEquals(201, forgedRes.status(), forgedRes.body());
            assertTrue(!forgedRes.body().contains("\"* *\""), forgedRes.body());
        }
    }
}
