package dev.fhirbolt.rest;

import java.util.Set;

/** An extended operation ({@code $name}) at the levels it supports. */
public interface Operation {

    enum Level {
        SYSTEM,
        TYPE,
        INSTANCE
    }

    String name();

    /** The resource types it applies to at type/instance level; empty means all. */
    Set<String> types();

    Set<Level> levels();

    /** Canonical URL of its OperationDefinition for the CapabilityStatement. */
    String definition();

    FhirResponse handle(FhirRequest request, Route route);
}
