package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;

/**
 * Access tokens of a backend-services client (client_credentials with a signed assertion), kept until shortly before
 * they expire and fetched again then, or at once when the server has refused one: what lets a long
 * {@code fhirbolt load --server} outlive its tokens. Thread-safe.
 */
public final class RenewingToken {

    /** Renew this long before the token's end, so that a request in flight does not carry an expiring one. */
    private static final long MARGIN_SECONDS = 30;

    /** One access token and when it ends. */
    public record Token(String value, Instant expires, String scope) {
    }

    private final KeyFile key;
    private final String scope;
    private final Clock clock;
    private final AdminClient http;
    private Token current;
    private int fetched;

    RenewingToken(KeyFile key, String server, String scope, Clock clock) {
        this.key = key;
        this.scope = scope;
        this.clock = clock;
        this.http = new AdminClient(server);
    }

    /** For tests: tokens for the client in {@code keyFile}, with a clock of their own. */
    public static RenewingToken of(java.nio.file.Path keyFile, String server, String scope, Clock clock) {
        KeyFile key = KeyFile.read(keyFile);
        return new RenewingToken(key, server != null ? server : key.server(), scope != null ? scope : key.scope(),
                clock);
    }

    /** A token that is good for at least the margin. */
    public synchronized Token token() {
        if (current == null || !clock.instant().isBefore(current.expires().minusSeconds(MARGIN_SECONDS))) {
            current = fetch();
        }
        return current;
    }

    /** The server refused this token (401): the next {@link #token()} fetches a new one. */
    public synchronized void rejected(String value) {
        if (current != null && current.value().equals(value)) {
            current = null;
        }
    }

    /** How many tokens were fetched so far. */
    public synchronized int fetched() {
        return fetched;
    }

    private Token fetch() {
        JsonNode smart = http.get("/.well-known/smart-configuration");
        String tokenUrl = smart.path("token_endpoint").asText(http.server() + "/auth/token");
        JsonNode t = http.form(tokenUrl, ClientAssertions.form(key.clientId(), key.key(), tokenUrl, scope));
        fetched++;
        return new Token(t.path("access_token").asText(), clock.instant().plusSeconds(t.path("expires_in")
                .asLong(60)), t.path("scope").asText(scope));
    }

    String clientId() {
        return key.clientId();
    }
}
