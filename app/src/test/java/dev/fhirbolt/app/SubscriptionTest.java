package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Subscriptions over HTTP: rest-hook and websocket delivery, status, criteria checks, topic-based notifications. */
class SubscriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    static String subscription(String criteria, String channel) {
        return "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"test\",\"criteria\":\""
                + criteria + "\",\"channel\":" + channel + "}";
    }

    static String observation(String code, String patient) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://loinc.org\",\"code\":\"" + code + "\"}]},\"subject\":{\"reference\":\"Patient/" + patient
                + "\"}}";
    }

    static String create(TestServer s, String body) throws Exception {
        HttpResponse<String> r = s.send("POST", "/" + JSON.readTree(body).path("resourceType").asText(), body);
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    static JsonNode awaitStatus(TestServer s, String id, String status) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        JsonNode sub = null;
        while (System.nanoTime() < until) {
            sub = JSON.readTree(s.get("/Subscription/" + id).body());
            if (status.equals(sub.path("status").asText())) {
                return sub;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Subscription/" + id + " never became " + status + ": " + sub);
    }

    @Test
    void restHookGetsEveryMatchInOrderAcrossARestartAndReportsADeadEndpoint() throws Exception {
        try (HookReceiver hook = new HookReceiver()) {
            TestServer s = TestServer.start();
            try {
                for (String p : List.of("p1", "p2", "p3", "p4")) {
                    assertEquals(201, s.send("PUT", "/Patient/" + p, "{\"resourceType\":\"Patient\",\"id\":\""
                            + p + "\"}").statusCode());
                }
                String id = create(s, subscription("Observation?code=http://loinc.org|1234-5", "{\"type\":\"rest-hook\","
                        + "\"endpoint\":\"" + hook.url() + "\",\"payload\":\"application/fhir+json\","
                        + "\"header\":[\"X-Hook-Secret: s3cret\"]}"));
                awaitStatus(s, id, "active");
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    expected.add(create(s, observation("1234-5", "p1")));
                    create(s, observation("9999-9", "p1"));
                }
                List<HookReceiver.Call> calls = hook.take(3, WAIT);
                assertEquals(3, calls.size(), "deliveries: " + calls);
                for (int i = 0; i < 3; i++) {
                    assertEquals("PUT", calls.get(i).method());
                    assertEquals("/hook/Observation/" + expected.get(i), calls.get(i).path());
                    assertEquals(List.of("s3cret"), calls.get(i).headers().get("X-hook-secret"));
                    assertEquals(expected.get(i), JSON.readTree(calls.get(i).body()).path("id").asText());
                }

                // the endpoint dies: status error with the reason; matching writes wait for it
                hook.answer(503);
                expected.add(create(s, observation("1234-5", "p2")));
                JsonNode failed = awaitStatus(s, id, "error");
                assertTrue(failed.path("error").asText().contains("503"), failed.toString());
                expected.add(create(s, observation("1234-5", "p3")));
                s = s.restart();
                expected.add(create(s, observation("1234-5", "p4")));
                hook.answer(200);
                List<HookReceiver.Call> later = hook.take(3, WAIT);
                List<String> got = new ArrayList<>();
                for (HookReceiver.Call c : later) {
                    String path = c.path().substring("/hook/Observation/".length());
                    if (got.isEmpty() || !got.get(got.size() - 1).equals(path)) {
                        got.add(path);
                    }
                }
                got.addAll(0, expected.subList(0, 3));
                assertEquals(expected, got, "every match, in commit order, across the restart");
                awaitStatus(s, id, "active");
                assertTrue(s.get("/metrics").body().contains("fhirbolt_subscription_delivered_total"));
            } finally {
                s.close();
            }
        }
    }

    @Test
    void criteriaAreCheckedAtCreate() throws Exception {
        try (TestServer s = TestServer.start()) {
            String channel = "{\"type\":\"rest-hook\",\"endpoint\":\"http://127.0.0.1:9/hook\"}";
            for (String criteria : List.of("Observation?nonsense=1", "Nonsense?code=1", "Observation?subject.name=x",
                    "?code=1")) {
                HttpResponse<String> r = s.send("POST", "/Subscription", subscription(criteria, channel));
                assertEquals(400, r.statusCode(), criteria + ": " + r.body());
                assertEquals("OperationOutcome", JSON.readTree(r.body()).path("resourceType").asText());
            }
            HttpResponse<String> email = s.send("POST", "/Subscription", subscription("Observation?code=1",
                    "{\"type\":\"email\",\"endpoint\":\"mailto:a@b.c\"}"));
            assertEquals(400, email.statusCode(), email.body());
            HttpResponse<String> host = s.send("POST", "/Subscription", subscription("Observation?code=1",
                    "{\"type\":\"rest-hook\",\"endpoint\":\"http://127.0.0.1:9/hook\",\"header\":[\"Host: elsewhere\"]}"));
            assertEquals(400, host.statusCode(), host.body());
            assertTrue(host.body().contains("belong to the HTTP exchange"), host.body());

            // topics are discoverable as the backport IG has R4 servers list them
            JsonNode subscriptionCaps = null;
            for (JsonNode r : JSON.readTree(s.get("/metadata").body()).path("rest").get(0).path("resource")) {
                if (r.path("type").asText().equals("Subscription")) {
                    subscriptionCaps = r;
                }
            }
            assertNotNull(subscriptionCaps);
            assertTrue(subscriptionCaps.path("supportedProfile").toString().contains("backport-subscription"));
            assertTrue(subscriptionCaps.path("extension").toString().contains("{\"url\":\"http://hl7.org/fhir/uv/"
                    + "subscriptions-backport/StructureDefinition/capabilitystatement-subscriptiontopic-canonical\","
                    + "\"valueCanonical\":\"http://fhirbolt.dev/SubscriptionTopic/Observation\"}"),
                    subscriptionCaps.toString());
        }
    }

    @Test
    void websocketBindsAndGetsPingsAlsoForChangesMadeWhileItWasAway() throws Exception {
        TestServer s = TestServer.start();
        try {
            String id = create(s, subscription("Patient?family=Smith", "{\"type\":\"websocket\"}"));
            awaitStatus(s, id, "active");
            JsonNode cs = JSON.readTree(s.get("/metadata").body());
            String wsUrl = null;
            for (JsonNode e : cs.path("rest").get(0).path("extension")) {
                if (e.path("url").asText().endsWith("capabilitystatement-websocket")) {
                    wsUrl = e.path("valueUri").asText();
                }
            }
            assertNotNull(wsUrl, "the CapabilityStatement names the websocket endpoint");
            LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
            WebSocket ws = s.http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            ws.sendText("bind " + id, true).get(10, TimeUnit.SECONDS);
            assertEquals("bound " + id, messages.poll(10, TimeUnit.SECONDS));
            create(s, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Jones\"}]}");
            create(s, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Smith\"}]}");
            assertEquals("ping " + id, messages.poll(10, TimeUnit.SECONDS));
            assertEquals(null, messages.poll(500, TimeUnit.MILLISECONDS), "only the matching change pings");
            ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertTrue(messages.poll(10, TimeUnit.SECONDS).startsWith("error"));
            ws.abort();

            // a change while no client is bound, then a restart: the next client to bind still hears of it
            create(s, "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Smith\"}]}");
            s = s.restart();
            String again = wsUrl.replaceFirst(":\\d+/", ":" + s.server.port() + "/");
            WebSocket ws2 = s.http.newWebSocketBuilder().buildAsync(URI.create(again), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            ws2.sendText("bind " + id, true).get(10, TimeUnit.SECONDS);
            assertEquals("bound " + id, messages.poll(10, TimeUnit.SECONDS));
            assertEquals("ping " + id, messages.poll(20, TimeUnit.SECONDS));
            ws2.abort();
        } finally {
            s.close();
        }
    }

    @Test
    void topicBasedHandshakeThenEventNotifications() throws Exception {
        try (HookReceiver hook = new HookReceiver(); TestServer s = TestServer.start()) {
            String bp = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
            String sub = "{\"resourceType\":\"Subscription\",\"meta\":{\"profile\":[\"" + bp
                    + "backport-subscription\"]},\"status\":\"requested\",\"reason\":\"topic test\","
                    + "\"criteria\":\"http://fhirbolt.dev/SubscriptionTopic/Encounter\",\"_criteria\":{\"extension\":"
                    + "[{\"url\":\"" + bp + "backport-filter-criteria\",\"valueString\":\"Encounter?status=finished\"}]},"
                    + "\"channel\":{\"extension\":[{\"url\":\"" + bp + "backport-heartbeat-period\","
                    + "\"valueUnsignedInt\":3600}],\"type\":\"rest-hook\",\"endpoint\":\"" + hook.url()
                    + "\",\"payload\":\"application/fhir+json\",\"_payload\":{\"extension\":[{\"url\":\"" + bp
                    + "backport-payload-content\",\"valueCode\":\"full-resource\"}]}}}";
            String id = create(s, sub);
            HookReceiver.Call handshake = hook.next(WAIT);
            assertNotNull(handshake, "a handshake");
            JsonNode hb = JSON.readTree(handshake.body());
            assertEquals("history", hb.path("type").asText());
            assertEquals("handshake", param(hb, "type").path("valueCode").asText());
            awaitStatus(s, id, "active");

            create(s, "{\"resourceType\":\"Encounter\",\"status\":\"planned\",\"class\":{\"code\":\"AMB\"}}");
            String enc = create(s, "{\"resourceType\":\"Encounter\",\"status\":\"finished\",\"class\":{\"code\":\"AMB\"}}");
            HookReceiver.Call event = hook.next(WAIT);
            assertNotNull(event, "an event notification");
            JsonNode eb = JSON.readTree(event.body());
            assertEquals("event-notification", param(eb, "type").path("valueCode").asText());
            assertEquals("1", param(eb, "events-since-subscription-start").path("valueString").asText());
            assertEquals("Parameters", eb.path("entry").get(0).path("resource").path("resourceType").asText());
            assertEquals(enc, eb.path("entry").get(1).path("resource").path("id").asText());
            JsonNode status = null;
            for (int i = 0; i < 100; i++) { // the count moves once the delivery is recorded
                status = JSON.readTree(s.get("/Subscription/" + id + "/$status").body());
                if (param(status.path("entry").get(0).path("resource"), "events-since-subscription-start")
                        .path("valueString").asText().equals("1")) {
                    break;
                }
                Thread.sleep(50);
            }
            JsonNode p = status.path("entry").get(0).path("resource");
            assertEquals("Parameters", p.path("resourceType").asText());
            assertEquals("1", param(p, "events-since-subscription-start").path("valueString").asText(),
                    status.toString());
            assertEquals(null, hook.next(Duration.ofMillis(300)), "the planned Encounter did not match");
        }
    }

    @Test
    void anEndpointDrippingItsAnswerIsCutOffAtTheSubscriptionsTimeout() throws Exception {
        // answers every request with a 200 whose head comes a byte every 200 ms (12 s in all): each read gets its byte
        // well within the 1 s timeout, the whole answer does not
        byte[] answer = ("HTTP/1.1 200 OK\r\nX-Slow: " + "a".repeat(35) + "\r\nContent-Length: 0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        try (java.net.ServerSocket drip = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                TestServer s = TestServer.start()) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!drip.isClosed()) {
                    try {
                        java.net.Socket c = drip.accept();
                        Thread.ofPlatform().daemon().start(() -> {
                            try (c) {
                                c.getInputStream().read(new byte[8192]);
                                for (byte b : answer) {
                                    c.getOutputStream().write(b);
                                    c.getOutputStream().flush();
                                    Thread.sleep(200);
                                }
                            } catch (Exception e) {
                                // the server hung up
                            }
                        });
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            String url = "http://127.0.0.1:" + drip.getLocalPort() + "/hook";
            String bp = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
            long t0 = System.nanoTime();
            String id = create(s, "{\"resourceType\":\"Subscription\",\"meta\":{\"profile\":[\"" + bp
                    + "backport-subscription\"]},\"status\":\"requested\",\"reason\":\"slow\",\"criteria\":"
                    + "\"http://fhirbolt.dev/SubscriptionTopic/Encounter\",\"channel\":{\"extension\":[{\"url\":\""
                    + bp + "backport-timeout\",\"valueUnsignedInt\":1}],\"type\":\"rest-hook\",\"endpoint\":\""
                    + url + "\",\"payload\":\"application/fhir+json\"}}");
            JsonNode failed = awaitStatus(s, id, "error"); // the handshake's call
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("the rest-hook endpoint " + url + " did not answer within 1 s", failed.path("error").asText());
            assertTrue(ms < 8_000, ms + " ms: cut off at the 1 s deadline, not after the 12 s the answer takes");
        }
    }

    @Test
    void aSubscriptionKeepsItsConnectionAndClosesItWhenDeleted() throws Exception {
        // an endpoint answering 200 to every request on a connection, counting connections and their closing
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        try (java.net.ServerSocket endpoint = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress()); TestServer s = TestServer.start()) {
            Thread.ofPlatform().daemon().start(() -> {
                while (!endpoint.isClosed()) {
                    try {
                        java.net.Socket c = endpoint.accept();
                        opened.incrementAndGet();
                        Thread.ofPlatform().daemon().start(() -> serveKeepAlive(c, requests, closed));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            String id = create(s, subscription("Observation?code=http://loinc.org|4444-4", "{\"type\":\"rest-hook\","
                    + "\"endpoint\":\"http://127.0.0.1:" + endpoint.getLocalPort() + "/hook\"}"));
            awaitStatus(s, id, "active");
            assertEquals(201, s.send("PUT", "/Patient/p1", "{\"resourceType\":\"Patient\",\"id\":\"p1\"}")
                    .statusCode());
            for (int i = 0; i < 3; i++) {
                create(s, observation("4444-4", "p1"));
            }
            long until = System.nanoTime() + WAIT.toNanos();
            while (requests.get() < 3 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(3, requests.get(), "three notifications");
            assertEquals(1, opened.get(), "one keep-alive connection for them");
            assertEquals(204, s.send("DELETE", "/Subscription/" + id, null).statusCode());
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the stopped worker closed its connection");
        }
    }

    /** Answers each request on {@code c} with an empty 200 until the other side closes it. */
    private static void serveKeepAlive(java.net.Socket c, java.util.concurrent.atomic.AtomicInteger requests,
            java.util.concurrent.CountDownLatch closed) {
        try (c) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(c.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1));
            while (true) {
                int length = 0;
                for (String line = in.readLine(); ; line = in.readLine()) {
                    if (line == null) {
                        closed.countDown();
                        return;
                    }
                    if (line.isEmpty()) {
                        break;
                    }
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.skip(length);
                requests.incrementAndGet();
                c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                c.getOutputStream().flush();
            }
        } catch (java.io.IOException e) {
            closed.countDown(); // reset by the server: closed too
        }
    }

    /** A named parameter of the SubscriptionStatus in a notification Bundle (or of Parameters itself). */
    static JsonNode param(JsonNode bundleOrParameters, String name) {
        JsonNode params = bundleOrParameters.path("resourceType").asText().equals("Parameters") ? bundleOrParameters
                : bundleOrParameters.path("entry").get(0).path("resource");
        for (JsonNode p : params.path("parameter")) {
            if (name.equals(p.path("name").asText())) {
                return p;
            }
        }
        return JSON.missingNode();
    }

    static Map<String, String> none() {
        return Map.of();
    }
}
