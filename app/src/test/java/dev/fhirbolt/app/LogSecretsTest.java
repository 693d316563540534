package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every log line written during a whole SMART flow (admin calls, a failed sign-in, sign-in, consent, code exchange,
 * refresh, FHIR requests with good, bad and query-string tokens) with the access log on and our loggers at DEBUG:
 * none holds a password, code, PKCE verifier or token.
 */
class LogSecretsTest {

    static final String ADMIN_PASSWORD = "admin-Pw-7f3e1c";
    static final String USER_PASSWORD = "user-Pw-3a9c55";
    static final String WRONG_PASSWORD = "wrong-Pw-91bd0a";
    static final String BOGUS_TOKEN = "bogus-token-5e2f77a1";

    /** Each event as its message, key-value pairs, MDC and throwables: what any encoder could print. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        protected void append(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(kv -> line.append(' ').append(kv.key).append('=').append(kv.value));
            }
            line.append(' ').append(event.getMDCPropertyMap());
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
            }
            lines.add(line.toString());
        }
    }

    @Test
    void noSecretOrTokenInAnyLogLine() throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger ours = context.getLogger("dev.fhirbolt");
        Level before = ours.getLevel();
        Capture capture = new Capture();
        capture.setContext(context);
        capture.start();
        root.addAppender(capture);
        ours.setLevel(Level.DEBUG);
        List<String> secrets = new ArrayList<>(List.of(ADMIN_PASSWORD, USER_PASSWORD, WRONG_PASSWORD, BOGUS_TOKEN));
        FhirboltServer server = FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("port", "0",
                "data-dir", Files.createTempDirectory("fhirbolt-logs").toString(), "security", "smart",
                "admin-password", ADMIN_PASSWORD, "demo-setup", "true", "access-log", "on")));
        try {
            Smart smart = new Smart("http://localhost:" + server.port(), ADMIN_PASSWORD);
            smart.registerPublicApp("log-app");
            Smart.Res user = smart.admin("POST", "/auth/admin/users", "{\"username\":\"logpat\",\"password\":\""
                    + USER_PASSWORD + "\",\"fhirUser\":\"Patient/demo-patient-1\",\"name\":\"Log Patient\"}");
            assertEquals(201, user.status(), user.body());
            Smart wrongAdmin = new Smart(smart.base, WRONG_PASSWORD);
            assertEquals(401, wrongAdmin.admin("GET", "/auth/admin/clients", null).status());
            String scope = "launch/patient openid fhirUser offline_access patient/*.rs";
            try {
                smart.authorizationCode("log-app", "logpat", WRONG_PASSWORD, scope, null);
            } catch (AssertionError expected) {
                // the sign-in page comes back with an error: the point is what was logged meanwhile
            }
            String[] codeAndVerifier = smart.authorizationCode("log-app", "logpat", USER_PASSWORD, scope, null);
            secrets.add(codeAndVerifier[0]);
            secrets.add(codeAndVerifier[1]);
            Smart.Res redeemed = smart.redeem("log-app", codeAndVerifier);
            assertEquals(200, redeemed.status(), redeemed.body());
            JsonNode tokens = redeemed.json();
            String access = tokens.get("access_token").asText();
            String refresh = tokens.get("refresh_token").asText();
            secrets.add(access);
            secrets.add(access.substring(access.lastIndexOf('.') + 1));
            secrets.add(refresh);
            secrets.add(tokens.get("id_token").asText());

            Map<String, Object> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", refresh);
            form.put("client_id", "log-app");
            Smart.Res refreshed = smart.form(java.net.http.HttpClient.newHttpClient(), "/auth/token", form);
            assertEquals(200, refreshed.status(), refreshed.body());
            secrets.add(refreshed.json().get("access_token").asText());
            if (refreshed.json().has("refresh_token")) {
                secrets.add(refreshed.json().get("refresh_token").asText());
            }

            assertEquals(200, smart.get(access, "/Patient/" + tokens.get("patient").asText()).status());
            assertEquals(401, smart.get(BOGUS_TOKEN, "/Patient").status());
            smart.get(null, "/Patient?_id=x&access_token=" + access);
            smart.get(access, "/Patient?code=" + codeAndVerifier[0]);
            assertEquals(400, smart.redeem("log-app", codeAndVerifier).status(), "a code works once");
        } finally {
            server.close();
            root.detachAppender(capture);
            ours.setLevel(before);
        }

        List<String> lines = List.copyOf(capture.lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fhirbolt.access GET /Patient/")
                && l.contains(" 200 ") && l.contains("client=log-app")), "the access log names the client: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fhirbolt.access GET /Patient ") && l.contains(" 401 ")),
                "refused requests are in the access log too");
        for (String line : lines) {
            for (String secret : secrets) {
                assertFalse(line.contains(secret), "a secret in the log: " + line);
            }
            assertFalse(line.contains("access_token="), "a query string in the log: " + line);
        }
    }
}
