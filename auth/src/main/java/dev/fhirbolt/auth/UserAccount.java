package dev.fhirbolt.auth;

import java.time.Instant;

/**
 * A person who signs in on the login page (the password hash is never part of it).
 *
 * @param username    the sign-in name, also the {@code sub} of id tokens
 * @param displayName a name to greet the user with
 * @param fhirUser    the FHIR resource the user is, e.g. {@code Practitioner/123} or {@code Patient/abc}
 * @param lockedUntil when a lock-out after failed sign-ins ends, or null
 * @param locked      locked by an administrator until unlocked: the user cannot sign in
 * @param admin       the user has the admin role: their console sign-in may use the admin API (see {@link AdminAccess})
 */
public record UserAccount(String username, String displayName, String fhirUser, Instant createdAt,
        Instant lockedUntil, boolean locked, boolean admin) {

    /** The resource type of {@link #fhirUser()}: Patient, Practitioner, RelatedPerson or Person. */
    public String fhirUserType() {
        return fhirUser.substring(0, fhirUser.indexOf('/'));
    }

    public String fhirUserId() {
        return fhirUser.substring(fhirUser.indexOf('/') + 1);
    }

    public boolean isPatient() {
        return "Patient".equals(fhirUserType());
    }
}
