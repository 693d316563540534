package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An access token stops working when it expires (the auth server's clock is moved past its expiry), and a public app
 * then gets a new one with its refresh token alone, as fhirclient asks for it: no client_id, no Authorization.
 */
class ExpiredTokenTest {

    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    @Test
    void expiredTokenIs401() throws Exception {
        MovableClock clock = new MovableClock();
        Map<String, String> flags = Map.of("port", "0", "data-dir", Files.createTempDirectory("fhirbolt-exp").toString(),
                "admin-password", "admin-secret-2", "demo-setup", "true", "audit", "off", "access-token-minutes", "5");
        try (FhirboltServer server = FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), flags),
                clock)) {
            Smart smart = new Smart("http://localhost:" + server.port(), "admin-secret-2");
            smart.registerPublicApp("exp-app");
            var tokens = smart.userToken("exp-app", "patient1", "patient1-demo",
                    "launch/patient patient/*.rs offline_access", null);
            String token = tokens.get("access_token").asText();
            assertEquals(200, smart.get(token, "/Patient/demo-patient-1").status());
            clock.offset = Duration.ofMinutes(6);
            Smart.Res expired = smart.get(token, "/Patient/demo-patient-1");
            assertEquals(401, expired.status());
            assertTrue(expired.header("WWW-Authenticate").contains("invalid_token"));

            Smart.Res refreshed = smart.send(HttpClient.newHttpClient(), "POST", "/auth/token",
                    Smart.formBody(Map.of("grant_type", "refresh_token", "refresh_token",
                            tokens.get("refresh_token").asText())), "application/x-www-form-urlencoded");
            assertEquals(200, refreshed.status(), refreshed.body());
            String fresh = refreshed.json().get("access_token").asText();
            assertEquals(200, smart.get(fresh, "/Patient/demo-patient-1").status());
            assertEquals(404, smart.get(fresh, "/Patient/demo-patient-2").status());
        }
    }
}
