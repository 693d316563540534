package dev.fhirbolt.validation;

import java.util.Map;

/**
 * The validation mode of writes: one for the server, with overrides per resource type.
 *
 * @param perType overrides by resource type name
 */
public record ValidationPolicy(ValidationMode defaultMode, Map<String, ValidationMode> perType) {

    public static final ValidationPolicy BASE = new ValidationPolicy(ValidationMode.BASE, Map.of());

    public ValidationPolicy {
        perType = Map.copyOf(perType);
    }

    public ValidationMode modeFor(String type) {
        return perType.getOrDefault(type, defaultMode);
    }
}
