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
    private final java.util.Optional<dev.fhirbolt.rest.integrity.ReferenceTargets> references;

    public Writes(ResourceIndexer indexer) {
        this(indexer, WriteCheck.NONE);
    }

    public Writes(ResourceIndexer indexer, WriteCheck check) {
        this(indexer, check, java.util.Optional.empty());
    }

    /** With referential integrity: a reference to a resource that does not exist is refused (422). */
    public Writes(ResourceIndexer indexer, WriteCheck check,
            java.util.Optional<dev.fhirbolt.rest.integrity.ReferenceTargets> references) {
        this.indexer = indexer;
        this.check = check;
        this.references = references;
    }

    public Write write(WriteMethod method, String type, String id, Resource resource, Expectation expectation) {
        return write(method, type, id, resource, expectation, java.util.Set.of());
    }

    /**
     * A write of a transaction entry: its references may also point to {@code written}, what the transaction
     * creates or updates ({@code Type/id}), since a transaction is judged on its final state.
     */
    public Write write(WriteMethod method, String type, String id, Resource resource, Expectation expectation,
            java.util.Set<String> written) {
        check.check(resource);
        references.ifPresent(r -> r.check(resource, written));
        resource.setId(id);
        return new Write(method, type, id, expectation, StampableJson.of(resource), indexer.index(resource));
    }

    public ResourceIndexer indexer() {
        return indexer;
    }
}
