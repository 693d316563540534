package dev.fhirbolt.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Access tokens whose signature has been verified, with their claims: an RS256 verification and the parsing of the
 * token cost more than everything else a FHIR request with a token does (measured: about 40% of the server's CPU time
 * of a read), and clients send the same token many times. Only the signature and parsing are remembered; expiry,
 * revocation, the grant and the client are checked on every request, and an entry counts only while its signing key
 * is still trusted.
 */
final class VerifiedTokens {

    /** Enough for the tokens in use at once; when full the cache starts over (entries are cheap to rebuild). */
    static final int MAX_ENTRIES = 4096;

    /** A token's verified claims and the key (kid) that signed it. */
    record Verified(String kid, JWTClaimsSet claims) {
    }

    private final Map<String, Verified> byToken = new ConcurrentHashMap<>();
    private final Function<String, Boolean> keyTrusted;

    /** {@code keyTrusted} tells whether a signing key (by kid) still verifies tokens. */
    VerifiedTokens(Function<String, Boolean> keyTrusted) {
        this.keyTrusted = keyTrusted;
    }

    /** The claims of a token verified before, else {@code verify}'s answer (remembered when it verified). */
    Optional<JWTClaimsSet> claims(String token, Function<String, Optional<Verified>> verify) {
        Verified known = byToken.get(token);
        if (known != null && keyTrusted.apply(known.kid())) {
            return Optional.of(known.claims());
        }
        Optional<Verified> fresh = verify.apply(token);
        fresh.ifPresent(v -> {
            if (byToken.size() >= MAX_ENTRIES) {
                byToken.clear();
            }
            byToken.put(token, v);
        });
        return fresh.map(Verified::claims);
    }
}
