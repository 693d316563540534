package dev.fhirbolt.app;

import static dev.fhirbolt.app.SubscriptionTest.awaitStatus;
import static dev.fhirbolt.app.SubscriptionTest.create;
import static dev.fhirbolt.app.SubscriptionTest.subscription;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions indexed by the values their criteria test (SubscriptionIndex): each subscription gets exactly its
 * matches, whether its criteria are keyed by a token or reference value (one or several), keyed and then tested on
 * more parameters, keyed on a union parameter (combo-code), or not keyed at all (a negation).
 */
class SubscriptionIndexTest {

    private static String observation(String code, String patient, String componentCode) {
        String component = componentCode == null ? "" : ",\"component\":[{\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"" + componentCode + "\"}]},\"valueString\":\"x\"}]";
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient
                + "\"}" + component + "}";
    }

    @Test
    void eachSubscriptionGetsExactlyItsMatches() throws Exception {
        try (HookReceiver hook = new HookReceiver(); TestServer s = TestServer.start()) {
            for (String p : List.of("p1", "p2", "p3")) {
                assertEquals(201, s.send("PUT", "/Patient/" + p, "{\"resourceType\":\"Patient\",\"id\":\""
                        + p + "\"}").statusCode());
            }
            Map<String, String> criteria = new LinkedHashMap<>();
            criteria.put("a", "Observation?code=http://loinc.org|A");
            criteria.put("ab", "Observation?code=http://loinc.org|A,http://loinc.org|B");
            criteria.put("p1", "Observation?patient=Patient/p1");
            criteria.put("nota", "Observation?code:not=http://loinc.org|A");
            criteria.put("ap2", "Observation?code=http://loinc.org|A&patient=Patient/p2");
            criteria.put("combo", "Observation?combo-code=http://loinc.org|D");
            criteria.put("c", "Observation?code=C");
            for (Map.Entry<String, String> e : criteria.entrySet()) {
                String id = create(s, subscription(e.getValue(), "{\"type\":\"rest-hook\",\"endpoint\":\""
                        + hook.url() + "/" + e.getKey() + "\",\"payload\":\"application/fhir+json\"}"));
                awaitStatus(s, id, "active");
            }
            Map<String, String> o = new LinkedHashMap<>();
            o.put("o1", create(s, observation("A", "p1", null)));
            o.put("o2", create(s, observation("B", "p2", null)));
            o.put("o3", create(s, observation("C", "p2", null)));
            o.put("o4", create(s, observation("A", "p2", null)));
            o.put("o5", create(s, observation("C", "p3", "D")));
            Map<String, List<String>> expected = new TreeMap<>(Map.of(
                    "a", ids(o, "o1", "o4"), "ab", ids(o, "o1", "o2", "o4"), "p1", ids(o, "o1"),
                    "nota", ids(o, "o2", "o3", "o5"), "ap2", ids(o, "o4"), "combo", ids(o, "o5"),
                    "c", ids(o, "o3", "o5")));
            int total = expected.values().stream().mapToInt(List::size).sum();
            List<HookReceiver.Call> calls = hook.take(total, Duration.ofSeconds(20));
            calls.addAll(hook.take(1, Duration.ofMillis(500)));
            Map<String, List<String>> got = new TreeMap<>();
            for (HookReceiver.Call c : calls) {
                String[] path = c.path().split("/"); // /hook/{name}/Observation/{id}
                got.computeIfAbsent(path[2], k -> new ArrayList<>()).add(path[4]);
            }
            assertEquals(expected, got);
        }
    }

    private static List<String> ids(Map<String, String> o, String... names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            out.add(o.get(n));
        }
        return out;
    }
}
