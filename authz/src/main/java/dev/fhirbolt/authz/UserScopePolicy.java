package dev.fhirbolt.authz;

/**
 * What {@code user/} scopes reach, by the signed-in user's {@code fhirUser}.
 */
public enum UserScopePolicy {
    /**
     * The default. A Practitioner or PractitionerRole user sees everything the user/ scopes name; a Patient user is
     * held to their own Patient compartment (as with patient/ scopes); any other user (RelatedPerson, Person, none)
     * gets nothing from user/ scopes.
     */
    PRACTITIONER,
    /** Every user is held to the compartment of their own fhirUser resource (Patient, Practitioner, RelatedPerson). */
    COMPARTMENT,
    /** Every user sees everything the user/ scopes name (only for trusted single-organisation deployments). */
    ALL;

    public static UserScopePolicy parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "practitioner" -> PRACTITIONER;
            case "compartment" -> COMPARTMENT;
            case "all" -> ALL;
            default -> throw new IllegalArgumentException(
                    "user-scope-policy must be practitioner, compartment or all, got '" + value + "'");
        };
    }
}
