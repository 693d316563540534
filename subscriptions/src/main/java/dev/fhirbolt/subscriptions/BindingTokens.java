package dev.fhirbolt.subscriptions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Short-lived, single-use tokens a websocket client sends ({@code bind-with-token}) to bind to a subscription. */
public final class BindingTokens {

    public static final Duration LIFETIME = Duration.ofMinutes(5);

    record Grant(String subscriptionId, Instant expires) {
    }

    /** A token handed out, and until when it can be used. */
    record Issued(String token, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public BindingTokens(Clock clock) {
        this.clock = clock;
    }

    Issued issue(String subscriptionId) {
        Instant now = clock.instant();
        tokens.values().removeIf(g -> g.expires().isBefore(now));
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Grant grant = new Grant(subscriptionId, now.plus(LIFETIME));
        tokens.put(token, grant);
        return new Issued(token, grant.expires());
    }

    /** The subscription a valid token was issued for; the token is used up. */
    Optional<String> redeem(String token) {
        Grant g = tokens.remove(token);
        if (g == null || g.expires().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(g.subscriptionId());
    }
}
