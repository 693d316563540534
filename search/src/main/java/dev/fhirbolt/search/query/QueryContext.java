package dev.fhirbolt.search.query;

import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/** What the clauses of one query share: the snapshot's indexes, the parameters and nested searches. */
public final class QueryContext {

    /** Runs a nested search (chains, _has) on the same snapshot and answers the matching ids. */
    @FunctionalInterface
    public interface SubSearch {
        SortedSet<String> ids(String type, Map<String, List<String>> params);
    }

    private final IndexReader reader;
    private final SearchParameterRegistry registry;
    private final SubSearch subSearch;
    private final TerminologyService terminology;
    private final boolean scopedIndexes;

    /**
     * @param scopedIndexes whether search-patient and search-code-date may answer: not while an index-format upgrade
     *                      is still filling them
     */
    public QueryContext(IndexReader reader, SearchParameterRegistry registry, SubSearch subSearch,
            TerminologyService terminology, boolean scopedIndexes) {
        this.reader = reader;
        this.registry = registry;
        this.subSearch = subSearch;
        this.terminology = terminology;
        this.scopedIndexes = scopedIndexes;
    }

    /** Whether search-patient and search-code-date hold every resource's entries (no upgrade is filling them). */
    public boolean scopedIndexes() {
        return scopedIndexes;
    }

    /** The code systems and value sets (stored and core), for :in, :not-in, :above and :below on tokens. */
    public TerminologyService terminology() {
        return terminology;
    }

    public IndexReader reader() {
        return reader;
    }

    public SearchParameterRegistry registry() {
        return registry;
    }

    public SubSearch subSearch() {
        return subSearch;
    }

    /** Every live id of a type, read lazily in id order. */
    public IdStream allIdsStream(String type) {
        return reader.allIdsStream(type);
    }

    /** How many live resources a type has, counted up to {@code cap}. */
    public long countAll(String type, long cap) {
        byte[] head = dev.fhirbolt.search.index.IndexKeys.valuePrefix("_id", type);
        return reader.countPrefix(dev.fhirbolt.search.SearchKeyspaces.VALUE,
                IndexReader.concat(head, new byte[] {Encoded.CODE}), cap);
    }

    /** Every live id of a type (each has an _id index entry). */
    public SortedSet<String> allIds(String type) {
        SortedSet<String> out = new TreeSet<>();
        reader.scan("_id", type, Alternative.startsWith(new byte[] {Encoded.CODE}), out, Long.MAX_VALUE);
        return out;
    }
}
