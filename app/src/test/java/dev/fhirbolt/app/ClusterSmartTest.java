package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMART server of a two-node cluster is one server: what is registered, issued or revoked through one node holds
 * on the other, and a one-time code is good once in the whole cluster.
 */
class ClusterSmartTest {

    static final String PUBLIC_BASE = "http://fhir.cluster.test";
    static FhirboltServer a;
    static FhirboltServer b;
    static Smart viaA;
    static Smart viaB;

    @BeforeAll
    static void startNodes() throws Exception {
        ClusterServices services = ClusterServices.small();
        String topic = "cluster-smart-" + System.nanoTime();
        a = start(services, "a", topic);
        b = start(services, "b", topic);
        viaA = smart(a);
        viaB = smart(b);
        viaA.registerPublicApp("cluster-app");
    }

    private static FhirboltServer start(ClusterServices services, String node, String topic) throws Exception {
        Map<String, String> flags = new HashMap<>(services.nodeFlags(node, topic));
        flags.putAll(Map.of("port", "0", "data-dir", Files.createTempDirectory("fhirbolt-smart-" + node).toString(),
                "security", "smart", "admin-password", "admin-secret-1", "demo-setup", "true", "base-url",
                PUBLIC_BASE, "audit", "off"));
        return FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), flags));
    }

    private static Smart smart(FhirboltServer node) {
        Smart smart = new Smart("http://localhost:" + node.port(), "admin-secret-1");
        smart.audience = PUBLIC_BASE;
        return smart;
    }

    @AfterAll
    static void stopNodes() {
        for (FhirboltServer node : new FhirboltServer[] {a, b}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void aClientRegisteredAndATokenIssuedOnOneNodeWorkOnTheOther() throws Exception {
        KeyPair key = viaA.registerBackend("cluster-backend", "system/Patient.cruds");
        String token = viaB.backendToken("cluster-backend", key, "system/Patient.cruds");
        Smart.Res created = viaB.fhir(token, "POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
        assertEquals(201, created.status(), created.body());
        String id = created.json().path("id").asText();
        assertEquals(200, viaA.get(token, "/Patient/" + id).status());
        assertEquals(403, viaA.get(token, "/Observation").status());
    }

    @Test
    void aRevocationOnOneNodeHoldsOnTheOtherWithinASecond() throws Exception {
        String token = viaA.userToken("cluster-app", "patient1", "patient1-demo",
                "launch/patient openid fhirUser patient/*.rs", null).get("access_token").asText();
        assertEquals(200, viaB.get(token, "/Patient/demo-patient-1").status());
        Smart.Res revoked = viaA.form(java.net.http.HttpClient.newHttpClient(), "/auth/revoke",
                Map.of("token", token, "client_id", "cluster-app"));
        assertEquals(200, revoked.status(), revoked.body());
        long deadline = System.nanoTime() + 1_000_000_000L;
        int status;
        do {
            status = viaB.get(token, "/Patient/demo-patient-1").status();
        } while (status != 401 && System.nanoTime() < deadline);
        assertEquals(401, status);
    }

    @Test
    void anAuthorizationCodeIsGoodOnceInTheWholeCluster() throws Exception {
        String[] code = viaA.authorizationCode("cluster-app", "patient1", "patient1-demo",
                "launch/patient openid fhirUser patient/*.rs", null);
        CompletableFuture<Smart.Res> onA = CompletableFuture.supplyAsync(() -> redeem(viaA, code));
        CompletableFuture<Smart.Res> onB = CompletableFuture.supplyAsync(() -> redeem(viaB, code));
        List<Integer> statuses = List.of(onA.get().status(), onB.get().status());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.contains(400), statuses.toString());
    }

    private static Smart.Res redeem(Smart via, String[] code) {
        try {
            return via.redeem("cluster-app", code);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
