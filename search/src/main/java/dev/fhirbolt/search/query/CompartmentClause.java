package dev.fhirbolt.search.query;

import dev.fhirbolt.storage.Bytes;
import java.util.SortedSet;
import java.util.TreeSet;

/** Membership in a compartment (Patient/123/...), streamed from search-compartment in id order. */
final class CompartmentClause implements Clause {

    private final String compartmentType;
    private final String compartmentId;

    CompartmentClause(String compartmentType, String compartmentId) {
        this.compartmentType = compartmentType;
        this.compartmentId = compartmentId;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        return new TreeSet<>(q.reader().compartment(compartmentType, compartmentId, type));
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        return q.reader().inCompartment(compartmentType, compartmentId, type, id);
    }

    @Override
    public long estimate(QueryContext q, String type, long cap) {
        return q.reader().countPrefix(dev.fhirbolt.search.SearchKeyspaces.COMPARTMENT,
                Bytes.key(compartmentType, compartmentId, type), cap);
    }

    @Override
    public boolean streams() {
        return true;
    }

    @Override
    public IdStream stream(QueryContext q, String type) {
        return q.reader().compartmentStream(compartmentType, compartmentId, type);
    }
}
