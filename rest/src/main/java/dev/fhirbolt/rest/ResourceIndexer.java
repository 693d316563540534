package dev.fhirbolt.rest;

import dev.fhirbolt.database.DerivedEntries;
import org.hl7.fhir.r4.model.Resource;

/** Computes the index entries stored with a resource (the search module provides the real one). */
@FunctionalInterface
public interface ResourceIndexer {

    DerivedEntries index(Resource resource);
}
