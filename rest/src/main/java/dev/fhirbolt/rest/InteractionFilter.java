package dev.fhirbolt.rest;

import org.hl7.fhir.r4.model.Resource;

/**
 * Wraps every interaction and operation the {@link FhirApi} runs (top-level requests and Bundle entries alike): the
 * place for authorization. A filter may refuse (throw a {@code FhirException}), narrow the request or route before
 * calling {@code next}, and filter or replace the answer.
 */
public interface InteractionFilter {

    /** What the filter calls to run the interaction. */
    @FunctionalInterface
    interface Next {
        FhirResponse handle(FhirRequest request, Route route);
    }

    FhirResponse handle(FhirRequest request, Route route, Next next);

    /**
     * Checks a write that does not go through {@link #handle} (the writes of a transaction, planned and committed
     * together) before anything is planned: {@code resource} is the entry's resource as sent (references not yet
     * resolved), {@code null} for a delete. Throws to refuse. What is finally stored passes the request's
     * {@link WriteGuard}.
     */
    default void checkWrite(FhirRequest request, Route route, Resource resource) {
    }

    /** This filter, and {@code inner} between it and the interaction (for both {@link #handle} and checkWrite). */
    default InteractionFilter then(InteractionFilter inner) {
        InteractionFilter outer = this;
        return new InteractionFilter() {
            @Override
            public FhirResponse handle(FhirRequest request, Route route, Next next) {
                return outer.handle(request, route, (r, rt) -> inner.handle(r, rt, next));
            }

            @Override
            public void checkWrite(FhirRequest request, Route route, Resource resource) {
                outer.checkWrite(request, route, resource);
                inner.checkWrite(request, route, resource);
            }
        };
    }

    InteractionFilter NONE = (request, route, next) -> next.handle(request, route);
}
