package dev.fhirbolt.rest;

/** Handles one kind of interaction; the same code serves HTTP requests and Bundle entries. */
@FunctionalInterface
public interface Interaction {
    FhirResponse handle(FhirRequest request, Route route);
}
