package dev.fhirbolt.app;

import static dev.fhirbolt.app.SmartEnforcementTest.A;
import static dev.fhirbolt.app.SmartEnforcementTest.B;
import static dev.fhirbolt.app.SubscriptionTest.create;
import static dev.fhirbolt.app.SubscriptionTest.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code Subscription/[id]/$events}: past event notifications again, kept across a restart, within the caller's scopes. */
class SubscriptionEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BP = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";

    static String topicSubscription(String type, String endpoint) {
        return "{\"resourceType\":\"Subscription\",\"meta\":{\"profile\":[\"" + BP + "backport-subscription\"]},"
                + "\"status\":\"requested\",\"reason\":\"events\",\"criteria\":\"http://fhirbolt.dev/SubscriptionTopic/"
                + type + "\",\"channel\":{\"type\":\"rest-hook\",\"endpoint\":\"" + endpoint + "\",\"payload\":"
                + "\"application/fhir+json\",\"_payload\":{\"extension\":[{\"url\":\"" + BP
                + "backport-payload-content\",\"valueCode\":\"full-resource\"}]}}}";
    }

    /** The event numbers of a notification Bundle's status, and the ids of the resources it carries. */
    static List<String> numbers(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : bundle.path("entry").get(0).path("resource").path("parameter")) {
            if (p.path("name").asText().equals("notification-event")) {
                out.add(p.path("part").get(0).path("valueString").asText());
            }
        }
        return out;
    }

    static List<String> resourceIds(JsonNode bundle) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < bundle.path("entry").size(); i++) {
            out.add(bundle.path("entry").get(i).path("resource").path("id").asText(null));
        }
        return out;
    }

    @Test
    void eventsAreAnsweredAgainByNumberAlsoAfterARestart() throws Exception {
        try (HookReceiver hook = new HookReceiver()) {
            TestServer s = TestServer.start();
            try {
                String id = create(s, topicSubscription("Encounter", hook.url()));
                assertNotNull(hook.next(Duration.ofSeconds(20)), "the handshake");
                List<String> encounters = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    encounters.add(create(s, "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":"
                            + "{\"code\":\"AMB\"}}"));
                }
                assertEquals(3, hook.take(3, Duration.ofSeconds(20)).size(), "three event notifications");

                JsonNode all = awaitEvents(s, "/Subscription/" + id + "/$events", 3);
                assertEquals("history", all.path("type").asText());
                assertEquals("query-event", param(all, "type").path("valueCode").asText());
                assertEquals(List.of("1", "2", "3"), numbers(all));
                assertEquals(encounters, resourceIds(all));

                JsonNode second = JSON.readTree(s.get("/Subscription/" + id
                        + "/$events?eventsSinceNumber=2&eventsUntilNumber=2&content=id-only").body());
                assertEquals(List.of("2"), numbers(second));
                assertEquals(1, second.path("entry").size() - 1);
                assertTrue(second.path("entry").get(1).path("resource").isMissingNode(), "id-only: no resource");
                assertTrue(second.path("entry").get(1).path("fullUrl").asText()
                        .endsWith("/Encounter/" + encounters.get(1) + "/_history/1"));

                assertEquals(400, s.get("/Subscription/" + id + "/$events?eventsSinceNumber=two").statusCode());
                assertEquals(400, s.get("/Subscription/" + id + "/$events?content=everything").statusCode());
                String r4 = create(s, SubscriptionTest.subscription("Encounter?status=finished",
                        "{\"type\":\"rest-hook\",\"endpoint\":\"" + hook.url() + "\"}"));
                assertEquals(400, s.get("/Subscription/" + r4 + "/$events").statusCode(), "R4: not topic-based");

                s = s.restart();
                JsonNode after = JSON.readTree(s.get("/Subscription/" + id + "/$events?eventsSinceNumber=3").body());
                assertEquals(List.of("3"), numbers(after), after.toString());
                assertTrue(s.get("/metadata").body().contains("backport-subscription-events"),
                        "listed in the CapabilityStatement");
            } finally {
                s.close();
            }
        }
    }

    private static JsonNode awaitEvents(TestServer s, String path, int n) throws Exception {
        JsonNode b = null;
        for (int i = 0; i < 200; i++) { // the delivery is recorded right after the notification arrived
            b = JSON.readTree(s.get(path).body());
            if (numbers(b).size() == n) {
                return b;
            }
            Thread.sleep(50);
        }
        return b;
    }

    @Test
    void aPatientScopedCallerGetsOnlyItsPatientsEvents() throws Exception {
        try (HookReceiver hook = new HookReceiver(); FhirboltServer server = FhirboltServer.start(ConfigLoader.load(
                Optional.empty(), Map.of(), Map.of("port", "0", "data-dir",
                        Files.createTempDirectory("fhirbolt-subevents").toString(), "security", "smart",
                        "admin-password", "admin-secret-ev", "demo-setup", "true", "audit", "off")))) {
            Smart smart = new Smart("http://localhost:" + server.port(), "admin-secret-ev");
            smart.registerPublicApp("events-app");
            KeyPair key = smart.registerBackend("writer", "system/*.cruds");
            String system = smart.backendToken("writer", key, "system/*.cruds");
            Smart.Res created = smart.fhir(system, "POST", "/Subscription",
                    topicSubscription("Observation", hook.url()));
            assertEquals(201, created.status(), created.body());
            String id = JSON.readTree(created.body()).path("id").asText();
            assertNotNull(hook.next(Duration.ofSeconds(20)), "the handshake");
            Smart.Res other = smart.fhir(system, "POST", "/Observation", SubscriptionTest.observation("1-1", B));
            assertEquals(201, other.status(), other.body());
            Smart.Res own = smart.fhir(system, "POST", "/Observation", SubscriptionTest.observation("1-1", A));
            String ownId = JSON.readTree(own.body()).path("id").asText();
            assertEquals(2, hook.take(2, Duration.ofSeconds(20)).size(), "both delivered to the system subscriber");

            JsonNode all = null;
            for (int i = 0; i < 200; i++) {
                all = JSON.readTree(smart.fhir(system, "GET", "/Subscription/" + id + "/$events", null).body());
                if (numbers(all).size() == 2) {
                    break;
                }
                Thread.sleep(50);
            }
            assertEquals(List.of("1", "2"), numbers(all), "the system client gets both");

            // a practitioner in a patient-launch context: every Subscription, but only patient A's Observations
            String patientToken = smart.userToken("events-app", "practitioner", "practitioner-demo",
                    "launch/patient user/Subscription.cruds patient/Observation.rs", A).get("access_token").asText();
            Smart.Res mine = smart.fhir(patientToken, "GET", "/Subscription/" + id + "/$events", null);
            assertEquals(200, mine.status(), mine.body());
            JsonNode bundle = JSON.readTree(mine.body());
            assertEquals(List.of(ownId), resourceIds(bundle), "only patient A's Observation: " + mine.body());
            assertTrue(!mine.body().contains("Patient/" + B), mine.body());
        }
    }
}
