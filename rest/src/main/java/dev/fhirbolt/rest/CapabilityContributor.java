package dev.fhirbolt.rest;

import org.hl7.fhir.r4.model.CapabilityStatement;

/** Adds what a module implements (search parameters, security, patch formats) to the CapabilityStatement. */
@FunctionalInterface
public interface CapabilityContributor {
    void contribute(CapabilityStatement statement, FhirRequest request);
}
