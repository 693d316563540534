package dev.fhirbolt.rest;

import org.hl7.fhir.r4.model.Resource;

/**
 * Judges a resource about to be written (validation on write); throws a {@code FhirException} (422) to refuse it.
 * Every write, whether a single interaction, a Bundle entry, a PATCH result or a load, goes through {@link Writes}.
 */
@FunctionalInterface
public interface WriteCheck {

    WriteCheck NONE = resource -> { };

    void check(Resource resource);
}
