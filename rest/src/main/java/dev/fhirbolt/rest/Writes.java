package dev.fhirbolt.rest;

import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.StampableJson;
import org.hl7.fhir.r4.model.Resource;

/**
 * Turns a parsed resource into a {@link Write}: validation on write ({@link WriteCheck}), final id, stored JSON with a
 * version placeholder, indexes.
 */
public final class Writes {

    private final ResourceIndexer indexer;
    private final WriteCheck check;

    public Writes(ResourceIndexer indexer) {
        this(indexer, WriteCheck.NONE);
    }

    public Writes(ResourceIndexer indexer, WriteCheck check) {
        this.indexer = indexer;
        this.check = check;
    }

    public Write write(WriteMethod method, String type, String id, Resource resource, Expectation expectation) {
        check.check(resource);
        resource.setId(id);
        return new Write(method, type, id, expectation, StampableJson.of(resource), indexer.index(resource));
    }

    public ResourceIndexer indexer() {
        return indexer;
    }
}
