package dev.fhirbolt.validation;

import java.util.Locale;

/** How much of a resource is checked when it is written. */
public enum ValidationMode {
    /** Nothing beyond what the strict parser enforces. */
    OFF,
    /** The core specification's cheap checks ({@link BaseChecks}): microseconds per resource. */
    BASE,
    /** Also HAPI's full validator: the core definitions, {@code meta.profile} and the profiles enforced for the type. */
    PROFILES;

    public static ValidationMode parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("validation must be off, base or profiles, got '" + value + "'");
        }
    }
}
