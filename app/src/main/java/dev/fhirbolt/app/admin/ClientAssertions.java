package dev.fhirbolt.app.admin;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;

/**
 * The client_credentials request of a backend-services client with a P-384 key (RFC 7523 client assertion, ES384,
 * valid four minutes): what {@code fhirbolt token}, {@code fhirbolt load --client} and the console's audit reader send.
 */
public final class ClientAssertions {

    private ClientAssertions() {
    }

    /** The signed assertion for the token endpoint at {@code tokenUrl}. */
    public static String sign(String clientId, ECKey key, String tokenUrl) {
        long now = System.currentTimeMillis();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder().issuer(clientId).subject(clientId)
                .audience(tokenUrl).expirationTime(new Date(now + 240_000)).jwtID(UUID.randomUUID().toString())
                .build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a client assertion", e);
        }
        return jwt.serialize();
    }

    /** The form body of a client_credentials request for these scopes. */
    public static String form(String clientId, ECKey key, String tokenUrl, String scope) {
        return "grant_type=client_credentials&scope=" + enc(scope) + "&client_assertion_type="
                + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer") + "&client_assertion="
                + enc(sign(clientId, key, tokenUrl));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
