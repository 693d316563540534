package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The auth server's admin API ({@code /auth/admin/...}) called with the session's admin credentials ({@link AdminRole}:
 * the admin password's, or the user's own token when their account has the admin role),
 * through the same gateway as every other call: the console has no admin code paths of its own. A refusal becomes a
 * {@link ConsoleException} carrying the API's own description; lost credentials become {@link RoleLost}.
 */
final class AdminCalls {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The admin API no longer accepts the session's credentials (the password was changed, say). */
    static final class RoleLost extends RuntimeException {
        RoleLost() {
            super("admin role lost", null, false, false);
        }
    }

    private final FhirGateway gateway;
    private final String baseUrl;
    private final String authorization;
    private final Session session;

    AdminCalls(FhirGateway gateway, Visit v) {
        this.gateway = gateway;
        this.baseUrl = v.fhir().baseUrl();
        this.session = v.session();
        this.authorization = AdminRole.authorization(gateway, v);
    }

    boolean hasRole() {
        return authorization != null;
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode send(String method, String path, JsonNode body) {
        byte[] bytes = body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8);
        FhirGateway.Reply r = gateway.exchange(new FhirGateway.Call(method, "/auth/admin" + path, baseUrl,
                authorization, body == null ? null : "application/json", bytes));
        if (r.status() == 401 || (r.status() == 403 && session != null && session.adminRole())) {
            throw new RoleLost(); // the password changed, or the user's admin role was taken away
        }
        JsonNode answer = JsonTexts.parse(r.body());
        if (r.status() >= 400) {
            String why = answer.path("error_description").asText(answer.path("error").asText(""));
            throw new ConsoleException(r.status() >= 500 ? 502 : r.status(), why.isEmpty()
                    ? "The admin API answered " + r.status() + "." : why);
        }
        return answer;
    }

    static String path(String segment) {
        return Forms.encode(segment);
    }
}
