package dev.fhirbolt.search.query;

import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.SortKeys;
import dev.fhirbolt.search.index.ValueRecord;
import dev.fhirbolt.search.index.ValueRecords;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * Reads the search indexes of one snapshot; keeps one cursor per keyspace for the life of a query. A parameter that is
 * a union of others ({@link dev.fhirbolt.search.index.UnionParams}) has no entries of its own: every read by its code
 * reads those of its parts.
 */
public final class IndexReader implements AutoCloseable {

    private final KvSnapshot snapshot;
    private final BiFunction<String, String, List<String>> storedCodes;
    private KvCursor values;
    private KvCursor compartments;
    private KvCursor patients;
    private KvCursor codeDates;
    private final List<KvCursor> streamCursors = new ArrayList<>();
    /**
     * The search-resource record read last: a search often asks one resource several times in a row (a sort on
     * two parameters reads both keys of each match, clauses check the same candidate), and a record holds them all.
     */
    private String recordType;
    private String recordId;
    private byte[] record;

    /** A reader that takes every code as stored (no parameter is a union of others). */
    public IndexReader(KvSnapshot snapshot) {
        this(snapshot, (type, code) -> List.of(code));
    }

    /** A reader of the registry's parameters: a union's values are read from its parts. */
    public IndexReader(KvSnapshot snapshot, SearchParameterRegistry registry) {
        this(snapshot, registry::storedCodes);
    }

    private IndexReader(KvSnapshot snapshot, BiFunction<String, String, List<String>> storedCodes) {
        this.snapshot = snapshot;
        this.storedCodes = storedCodes;
    }

    /** The codes whose entries hold a parameter's values: its parts when it is a union, else itself. */
    List<String> storedCodes(String type, String code) {
        return storedCodes.apply(type, code);
    }

    public KvSnapshot snapshot() {
        return snapshot;
    }

    private KvCursor values() {
        if (values == null) {
            values = snapshot.cursor(SearchKeyspaces.VALUE);
        }
        return values;
    }

    /** A cursor of its own (for a stream that moves independently); closed with the reader. */
    KvCursor openCursor(dev.fhirbolt.storage.Keyspace keyspace) {
        KvCursor c = snapshot.cursor(keyspace);
        streamCursors.add(c);
        return c;
    }

    /**
     * Adds the streams of the resources of a type that have exactly the value {@code v} for the parameter, each in id
     * order: one, or one per part of a union. They go into the caller's merge of all its values: a merge must not be
     * merged again, as it reads ahead in its parts and so cannot give back its last id when sought to it.
     */
    void valueStreams(String code, String type, byte[] v, List<IdStream> out) {
        for (String part : storedCodes(type, code)) {
            out.add(valueStream(part, type, v));
        }
    }

    /** The resources of a type with exactly the value {@code v} under the stored code, in id order. */
    IdStream valueStream(String storedCode, String type, byte[] v) {
        return new ValueIdStream(openCursor(SearchKeyspaces.VALUE), concat(IndexKeys.valuePrefix(storedCode, type), v),
                ValueIdStream.EXACT_VALUE);
    }

    /**
     * The resources of a type that reference the patient {@code patientRef} (Patient/123) through their patient
     * parameter and have exactly the value {@code v} for the parameter {@code code}, in id order (search-patient).
     */
    IdStream patientStream(String patientRef, String type, String code, byte[] v) {
        return new ValueIdStream(openCursor(SearchKeyspaces.PATIENT), IndexKeys.patientPrefix(patientRef, type, code, v),
                ValueIdStream.EXACT_VALUE);
    }

    /** Whether some resource of a type references the patient and has exactly the value {@code v} (one seek). */
    boolean anyInPatientScope(String patientRef, String type, String code, byte[] v) {
        byte[] prefix = IndexKeys.patientPrefix(patientRef, type, code, v);
        KvCursor c = patients();
        for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
            if (c.key().length == prefix.length + IndexKeys.idTailLength(c.key())) {
                return true;
            }
        }
        return false;
    }

    /** How many resources of a type reference the patient and have exactly the value, counted up to {@code cap}. */
    long countInPatientScope(String patientRef, String type, String code, byte[] v, long cap) {
        byte[] prefix = IndexKeys.patientPrefix(patientRef, type, code, v);
        long n = 0;
        KvCursor c = patients();
        for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix) && n < cap; c.next()) {
            if (c.key().length == prefix.length + IndexKeys.idTailLength(c.key())) {
                n++;
            }
        }
        return n;
    }

    private KvCursor patients() {
        if (patients == null) {
            patients = snapshot.cursor(SearchKeyspaces.PATIENT);
        }
        return patients;
    }

    /** Every live resource of a type (each has one _id entry, {@code C id 0}), in id order. */
    IdStream allIdsStream(String type) {
        byte[] head = IndexKeys.valuePrefix("_id", type);
        return new ValueIdStream(openCursor(SearchKeyspaces.VALUE), concat(head, new byte[] {Encoded.CODE}),
                ValueIdStream.VALUE_TAIL);
    }

    /** The resources of a type in a compartment, in id order. */
    IdStream compartmentStream(String compartmentType, String compartmentId, String type) {
        return new ValueIdStream(openCursor(SearchKeyspaces.COMPARTMENT),
                Bytes.key(compartmentType, compartmentId, type), ValueIdStream.ID_TERMINATED);
    }

    boolean inCompartment(String compartmentType, String compartmentId, String type, String id) {
        return snapshot.get(SearchKeyspaces.COMPARTMENT,
                IndexKeys.compartmentKey(compartmentType, compartmentId, type, id)).isPresent();
    }

    /** How many keys start with the prefix, counted up to {@code cap}. */
    long countPrefix(dev.fhirbolt.storage.Keyspace keyspace, byte[] prefix, long cap) {
        long n = 0;
        KvCursor c = keyspace.equals(SearchKeyspaces.VALUE) ? values() : openCursor(keyspace);
        for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix) && n < cap; c.next()) {
            n++;
        }
        return n;
    }

    /** Adds the ids whose values in the alternative's ranges pass its test; stops after {@code cap} entries. */
    long scan(String code, String type, Alternative alt, Set<String> out, long cap) {
        long seen = 0;
        for (String part : storedCodes(type, code)) {
            seen += scanRanges(values(), IndexKeys.valuePrefix(part, type), alt, out, cap - seen);
            if (seen > cap) {
                return seen;
            }
        }
        return seen;
    }

    /**
     * Adds the ids of the resources of a type with exactly the value {@code v} for the parameter {@code code} whose
     * date value (search-code-date) passes the date alternative; stops after {@code cap} entries.
     */
    long scanCodeDate(String type, String code, byte[] v, Alternative date, Set<String> out, long cap) {
        if (codeDates == null) {
            codeDates = snapshot.cursor(SearchKeyspaces.CODE_DATE);
        }
        return scanRanges(codeDates, IndexKeys.codeDatePrefix(type, code, v), date, out, cap);
    }

    /** The entries {@code head V id 0 idLength} whose V is in the alternative's ranges: adds those passing its test. */
    private static long scanRanges(KvCursor c, byte[] head, Alternative alt, Set<String> out, long cap) {
        byte[] headEnd = Bytes.prefixEnd(head);
        long seen = 0;
        for (Alternative.VRange range : alt.ranges()) {
            byte[] end = range.to() == null ? headEnd : concat(head, range.to());
            for (c.seek(concat(head, range.from())); c.isValid(); c.next()) {
                byte[] key = c.key();
                if (Arrays.compareUnsigned(key, end) >= 0) {
                    break;
                }
                if (++seen > cap) {
                    return seen;
                }
                if (out != null && alt.test().test(IndexKeys.valueOfValueKey(key, head.length))) {
                    out.add(IndexKeys.idOfValueKey(key));
                }
            }
        }
        return seen;
    }

    /** Where reading a range stopped: the key to go on from (null at the range's end) and the entries read. */
    record Part(byte[] resumeAt, long read) {
    }

    /**
     * Reads on in one range of an alternative from the key {@code from} (its start when null), adding the ids whose
     * value passes the test, for at most {@code max} entries. {@code code} is a stored code ({@link #storedCodes}).
     */
    Part scanPart(String code, String type, Alternative alt, Alternative.VRange range, byte[] from, Set<String> out,
            long max) {
        byte[] head = IndexKeys.valuePrefix(code, type);
        byte[] end = range.to() == null ? Bytes.prefixEnd(head) : concat(head, range.to());
        long n = 0;
        KvCursor c = values();
        for (c.seek(from == null ? concat(head, range.from()) : from); c.isValid(); c.next()) {
            byte[] key = c.key();
            if (Arrays.compareUnsigned(key, end) >= 0) {
                break;
            }
            if (n == max) {
                return new Part(key, n);
            }
            n++;
            if (alt.test().test(IndexKeys.valueOfValueKey(key, head.length))) {
                out.add(IndexKeys.idOfValueKey(key));
            }
        }
        return new Part(null, n);
    }

    /** Whether one of {@code ids} has exactly the value {@code v} for the parameter; stops at the first. */
    boolean anyWithValue(String code, String type, byte[] v, Set<String> ids) {
        for (String part : storedCodes(type, code)) {
            byte[] prefix = concat(IndexKeys.valuePrefix(part, type), v);
            KvCursor c = values();
            for (c.seek(prefix); c.isValid() && Bytes.startsWith(c.key(), prefix); c.next()) {
                byte[] key = c.key();
                if (key.length == prefix.length + IndexKeys.idTailLength(key)
                        && ids.contains(IndexKeys.idOfValueKey(key))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Every id that has at least one value for the parameter. */
    Set<String> idsWithAnyValue(String code, String type) {
        Set<String> out = new TreeSet<>();
        for (String part : storedCodes(type, code)) {
            byte[] head = IndexKeys.valuePrefix(part, type);
            KvCursor c = values();
            for (c.seek(head); c.isValid() && Bytes.startsWith(c.key(), head); c.next()) {
                out.add(IndexKeys.idOfValueKey(c.key()));
            }
        }
        return out;
    }

    /** The encoded values of one parameter of one resource (one point lookup of its search-resource record). */
    public List<byte[]> values(String type, String id, String code) {
        List<String> codes = storedCodes(type, code);
        if (codes.size() == 1) {
            return ValueRecord.values(record(type, id), Bytes.utf8(codes.get(0)));
        }
        List<byte[]> all = new ArrayList<>();
        for (String part : codes) {
            all.addAll(ValueRecord.values(record(type, id), Bytes.utf8(part)));
        }
        return all;
    }

    /**
     * Whether a resource has exactly the value {@code v} for the parameter: one point lookup of its search-value
     * entry, which the bloom filters answer without reading a block when it is not there, as for most candidates a
     * check rejects (reading the resource's record would load and copy all its values every time).
     */
    boolean hasValue(String type, String id, String code, byte[] v) {
        for (String part : storedCodes(type, code)) {
            if (snapshot.get(SearchKeyspaces.VALUE, IndexKeys.valueKey(part, type, v, id)).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private byte[] record(String type, String id) {
        if (!id.equals(recordId) || !type.equals(recordType)) {
            record = ValueRecords.read(snapshot, type, id, key -> {
            });
            recordType = type;
            recordId = id;
        }
        return record;
    }

    /** The key a resource sorts by on a parameter (from its values: one point lookup), or null when it has none. */
    public byte[] sortKey(String type, String id, String code, boolean descending) {
        byte[][] keys = SortKeys.of(values(type, id, code));
        return keys == null ? null : keys[descending ? 1 : 0];
    }

    /** Ids of a type in a compartment. */
    public Set<String> compartment(String compartmentType, String compartmentId, String type) {
        if (compartments == null) {
            compartments = snapshot.cursor(SearchKeyspaces.COMPARTMENT);
        }
        byte[] prefix = Bytes.key(compartmentType, compartmentId, type);
        Set<String> out = new TreeSet<>();
        for (compartments.seek(prefix); compartments.isValid() && Bytes.startsWith(compartments.key(), prefix);
                compartments.next()) {
            out.add(IndexKeys.lastString(compartments.key()));
        }
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Override
    public void close() {
        for (KvCursor c : new KvCursor[] {values, compartments, patients, codeDates}) {
            if (c != null) {
                c.close();
            }
        }
        streamCursors.forEach(KvCursor::close);
        streamCursors.clear();
    }
}
