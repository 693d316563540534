package dev.fhirbolt.rest;

/** Handles one kind of interaction; the same code serves HTTP requests and Bundle entries. */
@FunctionalInterface
public interface Interaction {
    FhirResponse handle(FhirRequest request, Route route);

    /** Heap this interaction takes per byte of the request's body at its peak ({@link MemoryBudget}). */
    default int memoryPerBodyByte(FhirRequest request) {
        return MemoryBudget.COST_FACTOR;
    }
}
