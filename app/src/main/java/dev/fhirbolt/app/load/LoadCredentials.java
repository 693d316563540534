package dev.fhirbolt.app.load;

import dev.fhirbolt.app.admin.RenewingToken;

/** The bearer token a load over HTTP sends, and whether a refused one can be replaced. */
public interface LoadCredentials {

    /** The token to send now, or null for none. */
    String token();

    /** The server refused {@code token} (401): whether {@link #token()} now gives a new one worth a retry. */
    default boolean renewAfter(String token) {
        return false;
    }

    /** Always this token (or none when null or blank). */
    static LoadCredentials fixed(String token) {
        String t = token == null || token.isBlank() ? null : token.trim();
        return () -> t;
    }

    /** A backend-services client's tokens, fetched again before they expire and when one is refused. */
    static LoadCredentials renewing(RenewingToken tokens) {
        return new LoadCredentials() {
            @Override
            public String token() {
                return tokens.token().value();
            }

            @Override
            public boolean renewAfter(String token) {
                tokens.rejected(token);
                return true;
            }
        };
    }
}
