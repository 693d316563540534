package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.List;

/**
 * An approval in force: a user let an app have these scopes (its access and refresh tokens share {@link #grantId}).
 *
 * @param username      who approved, or null
 * @param refreshTokens how many usable refresh tokens it has (0 or 1: they rotate)
 * @param refreshUntil  when its refresh token stops working, or null without one
 */
public record GrantInfo(String grantId, String clientId, String username, List<String> scopes, Instant created,
        Instant expires, int refreshTokens, Instant refreshUntil) {

    public GrantInfo {
        scopes = List.copyOf(scopes);
    }
}
