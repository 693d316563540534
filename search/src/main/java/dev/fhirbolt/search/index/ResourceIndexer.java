package dev.fhirbolt.search.index;

import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamDef;
import dev.fhirbolt.search.param.ParamType;
import dev.fhirbolt.storage.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Resource;

/** Evaluates every parameter of a resource's type and turns the values into index entries. */
public final class ResourceIndexer {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResourceIndexer.class);
    private static final Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final byte[] EMPTY = new byte[0];
    public static final Set<String> COMPARTMENT_TYPES =
            Set.of("Patient", "Encounter", "RelatedPerson", "Practitioner", "Device");

    private ResourceIndexer() {
    }

    public static Indexed entries(Resource resource, Collection<CompiledParam> params,
            Function<String, Optional<ParamDef>> byUrl) {
        return entries(resource.fhirType(), resource.getIdElement().getIdPart(), params,
                param -> values(resource, param, byUrl));
    }

    /**
     * The entries of a resource whose parameter values come from {@code valuesOf} (unique encoded values of one
     * parameter), for writers that know their values without evaluating paths on a model (the audit trail).
     */
    public static Indexed entries(String type, String id, Collection<CompiledParam> params,
            Function<CompiledParam, List<byte[]>> valuesOf) {
        byte[] typeBytes = Bytes.utf8(type);
        byte[] idBytes = Bytes.utf8(id);
        List<KvEntry> out = new ArrayList<>(80);
        ValueRecord.Writer record = new ValueRecord.Writer();
        Set<String> compartments = new LinkedHashSet<>();
        PatientScope scope = new PatientScope();
        CodeDates codeDates = new CodeDates();
        for (CompiledParam param : params) {
            if (param.code().equals("_lastUpdated") || !param.hasPath()) {
                continue;
            }
            List<byte[]> values = valuesOf.apply(param);
            if (param.code().equals(TokenValues.ID)) {
                values = TokenValues.idValues(values);
            }
            byte[] code = Bytes.utf8(param.code());
            addValues(out, typeBytes, idBytes, code, values);
            record.add(code, values);
            scope.offer(param.code(), values);
            codeDates.offer(param.code(), values);
            if (!param.def().compartments().isEmpty()) {
                for (byte[] v : values) {
                    if (v[0] == Encoded.LOCAL_REF) {
                        String ref = Encoded.parts(v)[0];
                        String target = ref.substring(0, ref.indexOf('/'));
                        if (param.def().compartments().contains(target)) {
                            compartments.add(ref);
                        }
                    }
                }
            }
        }
        if (COMPARTMENT_TYPES.contains(type)) {
            compartments.add(type + "/" + id);
        }
        scope.keys(typeBytes, idBytes, key -> out.add(new KvEntry(SearchKeyspaces.PATIENT, key, EMPTY)));
        codeDates.keys(typeBytes, idBytes, key -> out.add(new KvEntry(SearchKeyspaces.CODE_DATE, key, EMPTY)));
        List<byte[]> markers = new ArrayList<>(compartments.size());
        for (String ref : compartments) {
            int slash = ref.indexOf('/');
            out.add(new KvEntry(SearchKeyspaces.COMPARTMENT,
                    IndexKeys.compartmentKey(ref.substring(0, slash), ref.substring(slash + 1), type, id), EMPTY));
            markers.add(Encoded.strings(Encoded.LOCAL_REF, ref));
        }
        record.add(Bytes.utf8(IndexKeys.COMPARTMENTS), markers);
        return new Indexed(typeBytes, idBytes, out, record.toByteArray());
    }

    /**
     * A resource's index entries but for those of _lastUpdated, which the commit adds once it knows the time
     * ({@link #with}): the entries of search-value, search-sort and the others, and the groups of its search-resource
     * record so far (the request thread packs them; the commit thread only appends one group).
     */
    public record Indexed(byte[] type, byte[] id, List<KvEntry> entries, byte[] record) {

        /** Every entry, with the values of one more parameter, and last the search-resource record. */
        public List<KvEntry> with(String code, List<byte[]> values) {
            List<KvEntry> all = new ArrayList<>(entries.size() + 5);
            all.addAll(entries);
            byte[] codeBytes = Bytes.utf8(code);
            addValues(all, type, id, codeBytes, values);
            all.add(new KvEntry(SearchKeyspaces.RESOURCE, IndexKeys.resourceKey(type, id),
                    new ValueRecord.Writer(record, ValueRecord.Writer.groupSize(codeBytes, values))
                            .add(codeBytes, values).toByteArray()));
            return all;
        }
    }

    /** The unique encoded values of one parameter on one resource. */
    public static List<byte[]> values(Resource resource, CompiledParam param,
            Function<String, Optional<ParamDef>> byUrl) {
        List<? extends IBase> elements;
        try {
            elements = Elements.select(resource, param.path(), param.expression());
        } catch (RuntimeException e) {
            if (WARNED.add(param.resourceType() + "." + param.code())) {
                LOG.warn("search parameter {} of {} could not be evaluated: {}", param.code(), param.resourceType(),
                        e.getMessage());
            }
            return new ArrayList<>();
        }
        return encode(elements, param, byUrl);
    }

    /** The unique encoded values of elements a parameter selected. */
    public static List<byte[]> encode(List<? extends IBase> elements, CompiledParam param,
            Function<String, Optional<ParamDef>> byUrl) {
        List<byte[]> values = new ArrayList<>();
        for (IBase element : elements) {
            if (param.type() == ParamType.COMPOSITE) {
                CompositeValues.encode(element, param.def(), byUrl, values);
            } else {
                Encoders.of(param.type()).encode(element, values);
            }
        }
        return withoutRepeats(values);
    }

    /** Drops values equal to an earlier one, keeping the first of each; few values need no hash set. */
    private static List<byte[]> withoutRepeats(List<byte[]> values) {
        int n = values.size();
        if (n <= 1) {
            return values;
        }
        if (n > 16) {
            Set<ByteBuffer> seen = new HashSet<>();
            values.removeIf(v -> !seen.add(ByteBuffer.wrap(v)));
            return values;
        }
        List<byte[]> unique = new ArrayList<>(n);
        outer:
        for (byte[] v : values) {
            for (byte[] u : unique) {
                if (Arrays.equals(u, v)) {
                    continue outer;
                }
            }
            unique.add(v);
        }
        return unique;
    }

    /** Value entries of one parameter, and its sort entries when its values give sort keys. */
    static void addValues(List<KvEntry> out, byte[] type, byte[] id, byte[] code, List<byte[]> values) {
        for (byte[] v : values) {
            out.add(new KvEntry(SearchKeyspaces.VALUE, IndexKeys.valueKey(code, type, v, id), EMPTY));
        }
        byte[][] sort = SortKeys.indexed(values);
        if (sort != null) {
            out.add(new KvEntry(SearchKeyspaces.SORT, IndexKeys.sortKey(type, code, SortKeys.ASCENDING, sort[0], id),
                    EMPTY));
            out.add(new KvEntry(SearchKeyspaces.SORT, IndexKeys.sortKey(type, code, SortKeys.DESCENDING, sort[1], id),
                    EMPTY));
        }
    }
}
