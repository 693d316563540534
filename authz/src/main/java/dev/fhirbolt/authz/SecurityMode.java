package dev.fhirbolt.authz;

/** Whether the FHIR API demands SMART access tokens. */
public enum SecurityMode {
    /** Every FHIR interaction needs a valid bearer token and is limited to its scopes (the default). */
    SMART,
    /** Development mode: no token needed, nothing enforced. Never expose such a server. */
    OFF;

    public static SecurityMode parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "smart" -> SMART;
            case "off" -> OFF;
            default -> throw new IllegalArgumentException("security must be 'smart' or 'off', got '" + value + "'");
        };
    }
}
