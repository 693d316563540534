package dev.fhirbolt.rest;

import java.util.Optional;

/**
 * A request path understood: which interaction, on which type, id and version; the operation name for
 * {@code $op} calls and the target type of compartment searches ({@code Patient/1/Observation} or {@code *}).
 */
public record Route(InteractionKind kind, Optional<String> type, Optional<String> id, Optional<String> versionId,
        Optional<String> operation, Optional<String> compartmentTarget) {

    public static Route of(InteractionKind kind) {
        return new Route(kind, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public static Route ofType(InteractionKind kind, String type) {
        return new Route(kind, Optional.of(type), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public static Route ofInstance(InteractionKind kind, String type, String id) {
        return new Route(kind, Optional.of(type), Optional.of(id), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    public String requireType() {
        return type.orElseThrow();
    }

    public String requireId() {
        return id.orElseThrow();
    }
}
