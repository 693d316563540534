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

    /**
     * Whether the operation reads its body as a stream ({@link FhirRequest#bodyStream()}) instead of as bytes read
     * whole before it is called: the HTTP layer then neither reads nor limits the body (the operation bounds it).
     */
    default boolean streamsBody() {
        return false;
    }
}
