package dev.fhirbolt.validation;

import java.util.List;
import java.util.Map;

/**
 * The validation mode of writes: one for the server, with overrides per resource type, and the profiles the server
 * enforces per type. A type with enforced profiles is validated in {@link ValidationMode#PROFILES} mode unless its
 * mode is {@link ValidationMode#OFF}.
 *
 * @param perType overrides by resource type name
 * @param profiles canonical URLs of the profiles every resource of a type must conform to, by type name
 */
public record ValidationPolicy(ValidationMode defaultMode, Map<String, ValidationMode> perType,
        Map<String, List<String>> profiles) {

    public static final ValidationPolicy BASE = new ValidationPolicy(ValidationMode.BASE, Map.of());

    public ValidationPolicy {
        perType = Map.copyOf(perType);
        profiles = Map.copyOf(profiles);
    }

    public ValidationPolicy(ValidationMode defaultMode, Map<String, ValidationMode> perType) {
        this(defaultMode, perType, Map.of());
    }

    public ValidationMode modeFor(String type) {
        ValidationMode mode = perType.getOrDefault(type, defaultMode);
        return mode == ValidationMode.BASE && profiles.containsKey(type) ? ValidationMode.PROFILES : mode;
    }

    /** The profiles enforced for a type (none by default). */
    public List<String> profilesFor(String type) {
        return profiles.getOrDefault(type, List.of());
    }
}
