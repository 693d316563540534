package dev.fhirbolt.search;

import dev.fhirbolt.storage.Keyspace;
import java.util.List;

/**
 * The keyspaces of the search indexes (docs/storage-layout.md, "Search indexes"). V is an encoded value: a kind byte
 * then type-specific bytes (see {@code dev.fhirbolt.search.index.Encoded}).
 *
 * <pre>
 * search-value        code 0 type 0 V id 0 idLength:1   -> empty   value to resources: lookups and range scans
 * search-resource     type 0 id 0                       -> record  resource to values (ValueRecord): check a candidate
 * search-compartment  compType 0 compId 0 type 0 id 0   -> empty   compartment membership
 * search-sort         type 0 code 0 dir:1 sortKey' id 0 idLength:1 -> empty   resources in one parameter's order
 * search-patient      Patient/pid 0 type 0 code 0 V id 0 idLength:1 -> empty   a patient's resources with a token value
 * search-code-date    type 0 code 0 V D id 0 idLength:1 -> empty   a code's resources by date (D: L or H range)
 * search-reindex      "job/" id | "index-format"        -> a reindex job | the index key format of the data
 * </pre>
 */
public final class SearchKeyspaces {

    public static final Keyspace VALUE = new Keyspace("search-value");
    public static final Keyspace RESOURCE = new Keyspace("search-resource");
    public static final Keyspace COMPARTMENT = new Keyspace("search-compartment");
    public static final Keyspace SORT = new Keyspace("search-sort");
    public static final Keyspace PATIENT = new Keyspace("search-patient");
    public static final Keyspace CODE_DATE = new Keyspace("search-code-date");
    public static final Keyspace REINDEX = new Keyspace("search-reindex");

    public static final List<Keyspace> ALL = List.of(VALUE, RESOURCE, COMPARTMENT, SORT, PATIENT, CODE_DATE, REINDEX);

    private SearchKeyspaces() {
    }
}
