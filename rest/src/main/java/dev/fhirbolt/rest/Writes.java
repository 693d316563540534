package dev.fhirbolt.rest;

import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.StampableJson;
import org.hl7.fhir.r4.model.Resource;

/** Turns a validated resource into a {@link Write}: final id, stored JSON with a version placeholder, indexes. */
public final class Writes {

    private final ResourceIndexer indexer;

    public Writes(ResourceIndexer indexer) {
        this.indexer = indexer;
    }

    public Write write(WriteMethod method, String type, String id, Resource resource, Expectation expectation) {
        resource.setId(id);
        return new Write(method, type, id, expectation, StampableJson.of(resource), indexer.index(resource));
    }

    public ResourceIndexer indexer() {
        return indexer;
    }
}
