package dev.fhirbolt.auth;

import java.time.Instant;

/**
 * One of the server's signing keys, as administrators see it (never the key itself).
 *
 * @param retired   when a rotation retired it, or null for the key that signs
 * @param signing   whether it signs new tokens
 * @param verifying whether tokens it signed still verify (current, or retired within the retention period)
 */
public record SigningKeyInfo(String kid, Instant created, Instant retired, boolean signing, boolean verifying) {
}
