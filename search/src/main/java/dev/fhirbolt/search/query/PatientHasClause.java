package dev.fhirbolt.search.query;

import java.util.List;
import java.util.SortedSet;

/**
 * {@code _has:Source:patient:code=Y}: a candidate matches when search-patient holds a Source of the candidate with
 * one of the values, so a check is one seek whatever the number of Sources with the value (which a plain
 * {@link HasClause} computes whole first). Reading every match at once is the plain clause's.
 */
final class PatientHasClause implements Clause {

    private final HasClause plain;
    private final String source;
    private final ValueClause inner;
    private final List<byte[]> values;

    PatientHasClause(HasClause plain, String source, ValueClause inner, List<byte[]> values) {
        this.plain = plain;
        this.source = source;
        this.inner = inner;
        this.values = values;
    }

    @Override
    public SortedSet<String> scan(QueryContext q, String type) {
        return plain.scan(q, type);
    }

    @Override
    public boolean test(QueryContext q, String type, String id) {
        String ref = type + "/" + id;
        for (byte[] v : values) {
            if (q.reader().anyInPatientScope(ref, source, inner.code(), v)) {
                return true;
            }
        }
        return false;
    }

    /** The Sources with the values: what a scan reads, one reference (a seek) each. */
    @Override
    public long estimate(QueryContext q, String type, long cap) {
        return inner.estimate(q, source, cap);
    }

    @Override
    public int scanCostPerEntry() {
        return plain.scanCostPerEntry();
    }
}
