package dev.fhirbolt.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.fhirbolt.app.admin.ClientAssertions;
import dev.fhirbolt.auth.AdminService;
import dev.fhirbolt.auth.ClientSpec;
import dev.fhirbolt.auth.ClientType;
import dev.fhirbolt.auth.RegisteredClient;
import dev.fhirbolt.console.AuditTokens;
import dev.fhirbolt.console.FhirGateway;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's credential for the audit trail: a backend-services client ({@link #CLIENT_ID}, scope
 * {@code system/AuditEvent.rs}) whose key pair is made at each start and never leaves memory. Its public key is added
 * to the registration (the newest {@link #KEPT} kept, so that each node of a cluster has its own), and tokens come from
 * the token endpoint through the console's gateway, as any backend service gets them.
 */
final class ConsoleAuditAccess implements AuditTokens {

    static final String CLIENT_ID = "fhirbolt-console-audit";
    static final String SCOPE = "system/AuditEvent.rs";
    private static final int KEPT = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Token(String value, long until) {
    }

    private final ECKey key;
    private final FhirGateway gateway;
    private final Map<String, Token> byBase = new ConcurrentHashMap<>();

    ConsoleAuditAccess(FhirGateway gateway) {
        this.gateway = gateway;
        try {
            this.key = new ECKeyGenerator(Curve.P_384).keyID("console-" + UUID.randomUUID()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make the console's audit key", e);
        }
    }

    /** Registers the client, or adds this start's public key to it. */
    void register(AdminService admin) {
        List<JWK> keys = new ArrayList<>();
        Optional<RegisteredClient> known = admin.client(CLIENT_ID);
        if (known.isPresent() && known.get().jwks() != null) {
            try {
                keys.addAll(JWKSet.parse(known.get().jwks()).getKeys());
            } catch (ParseException e) {
                // an unreadable registration is replaced
            }
        }
        keys.add(key.toPublicJWK());
        while (keys.size() > KEPT) {
            keys.remove(0);
        }
        String jwks = new JWKSet(keys).toString(true);
        ClientSpec spec = new ClientSpec(CLIENT_ID, "Fhirbolt Console (audit trail)", ClientType.BACKEND_SERVICE,
                List.of(), null, List.of(SCOPE), jwks, null);
        if (known.isPresent() && known.get().type() == ClientType.BACKEND_SERVICE) {
            admin.updateClient(spec);
        } else {
            known.ifPresent(c -> admin.deleteClient(c.clientId()));
            admin.registerClient(spec);
        }
    }

    @Override
    public String authorization(String baseUrl) {
        Token t = byBase.get(baseUrl);
        if (t == null || System.currentTimeMillis() > t.until()) {
            t = fetch(baseUrl);
            byBase.put(baseUrl, t);
        }
        return "Bearer " + t.value();
    }

    private Token fetch(String baseUrl) {
        String tokenUrl = baseUrl + "/auth/token";
        byte[] form = ClientAssertions.form(CLIENT_ID, key, tokenUrl, SCOPE).getBytes(StandardCharsets.UTF_8);
        FhirGateway.Reply r = gateway.exchange(new FhirGateway.Call("POST", "/auth/token", baseUrl, null,
                "application/x-www-form-urlencoded", form));
        try {
            JsonNode answer = JSON.readTree(r.body());
            if (r.status() != 200 || !answer.hasNonNull("access_token")) {
                throw new IllegalStateException("the token endpoint refused the console's audit client: "
                        + answer.path("error_description").asText(String.valueOf(r.status())));
            }
            long life = Math.max(30, answer.path("expires_in").asLong(60)) - 20;
            return new Token(answer.path("access_token").asText(), System.currentTimeMillis() + life * 1000);
        } catch (IOException e) {
            throw new IllegalStateException("the token endpoint answered " + r.status() + " with no JSON");
        }
    }
}
