package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Subscriptions in a cluster: exactly one node delivers (the holder of the delivery lease), a subscription created
 * through one node hears of writes through the other, and when the delivering node stops, the other takes delivery
 * over and resumes from the replicated cursors: every match arrives, at least once, in commit order.
 */
class ClusterSubscriptionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void oneNodeDeliversAndTheOtherTakesOverWhenItStops() throws Exception {
        ClusterServices services = ClusterServices.small();
        String topic = "cluster-subscriptions-" + System.nanoTime();
        TestServer a = null;
        TestServer b = null;
        try (HookReceiver hook = new HookReceiver()) {
            a = TestServer.start(Files.createTempDirectory("fhirbolt-subs-a"), flags(services, "a", topic));
            b = TestServer.start(Files.createTempDirectory("fhirbolt-subs-b"), flags(services, "b", topic));
            String id = SubscriptionTest.create(b, SubscriptionTest.subscription(
                    "Observation?code=http://loinc.org|77-1", "{\"type\":\"rest-hook\",\"endpoint\":\"" + hook.url()
                            + "\",\"payload\":\"application/fhir+json\"}"));
            SubscriptionTest.awaitStatus(a, id, "active");
            assertTrue(a.server.deliversSubscriptions() != b.server.deliversSubscriptions(),
                    "exactly one node delivers");

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                expected.add(SubscriptionTest.create(a, SubscriptionTest.observation("77-1", "p" + i)));
                SubscriptionTest.create(a, SubscriptionTest.observation("88-8", "p" + i));
            }
            List<String> got = paths(hook.take(3, WAIT));
            assertEquals(expected, got, "writes through node a, subscription through node b");

            TestServer holder = a.server.deliversSubscriptions() ? a : b;
            TestServer other = holder == a ? b : a;
            holder.close();
            if (holder == a) {
                a = null;
            } else {
                b = null;
            }
            for (int i = 0; i < 3; i++) {
                expected.add(SubscriptionTest.create(other, SubscriptionTest.observation("77-1", "q" + i)));
            }
            long until = System.nanoTime() + WAIT.toNanos();
            while (got.size() < expected.size() && System.nanoTime() < until) {
                for (String path : paths(hook.take(1, Duration.ofMillis(500)))) {
                    if (!got.contains(path)) { // at least once: a change may come again after the take-over
                        got.add(path);
                    }
                }
            }
            assertEquals(expected, got, "delivery continues from the other node, in commit order");
            assertTrue(other.server.deliversSubscriptions());
            assertNotEquals("error", SubscriptionTest.awaitStatus(other, id, "active").path("status").asText());
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void aWebsocketClientBoundOnANodeThatDoesNotHoldTheLeaseGetsItsNotifications() throws Exception {
        ClusterServices services = ClusterServices.small();
        String topic = "cluster-websockets-" + System.nanoTime();
        try (TestServer a = TestServer.start(Files.createTempDirectory("fhirbolt-ws-a"), flags(services, "a", topic));
                TestServer b = TestServer.start(Files.createTempDirectory("fhirbolt-ws-b"), flags(services, "b",
                        topic))) {
            String id = SubscriptionTest.create(a, SubscriptionTest.subscription("Patient?family=Smith",
                    "{\"type\":\"websocket\"}"));
            SubscriptionTest.awaitStatus(b, id, "active");
            long until = System.nanoTime() + WAIT.toNanos();
            while (a.server.deliversSubscriptions() == b.server.deliversSubscriptions()
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            TestServer holder = a.server.deliversSubscriptions() ? a : b;
            TestServer other = holder == a ? b : a;

            java.util.concurrent.LinkedBlockingQueue<String> messages = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = bind(other, id, messages);
            assertEquals("bound " + id, messages.poll(10, java.util.concurrent.TimeUnit.SECONDS));
            SubscriptionTest.create(holder, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Jones\"}]}");
            SubscriptionTest.create(holder, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Smith\"}]}");
            assertEquals("ping " + id, messages.poll(30, java.util.concurrent.TimeUnit.SECONDS),
                    "a write through the delivering node reaches the client bound on the other");
            SubscriptionTest.create(other, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Smith\"}]}");
            assertEquals("ping " + id, messages.poll(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(null, messages.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS), "only matches ping");
            ws.abort();
        }
    }

    private static java.net.http.WebSocket bind(TestServer node, String id,
            java.util.concurrent.BlockingQueue<String> messages) throws Exception {
        java.net.http.WebSocket ws = node.http.newWebSocketBuilder().buildAsync(
                java.net.URI.create("ws://127.0.0.1:" + node.server.port() + "/websocket"),
                new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket,
                            CharSequence data, boolean last) {
                        messages.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText("bind " + id, true).get(10, java.util.concurrent.TimeUnit.SECONDS);
        return ws;
    }

    private static Map<String, String> flags(ClusterServices services, String node, String topic) {
        Map<String, String> flags = new HashMap<>(services.nodeFlags(node, topic));
        flags.put("subscription-takeover-ms", "3000");
        flags.put("referential-integrity", "off");
        return flags;
    }

    private static List<String> paths(List<HookReceiver.Call> calls) {
        List<String> out = new ArrayList<>();
        for (HookReceiver.Call c : calls) {
            out.add(c.path().substring("/hook/Observation/".length()));
        }
        return out;
    }
}
