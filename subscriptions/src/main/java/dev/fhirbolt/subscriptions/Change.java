package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.search.index.ResourceIndexer;
import dev.fhirbolt.search.index.ValueRecord;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.storage.Bytes;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * One changed version as matching sees it: its values of each search parameter and its compartments, computed once
 * however many subscriptions look at it. When the write's own index record is at hand (the commit computed it,
 * {@link RecentCommits}) they are read from it and the resource is never parsed; otherwise (a change read back from
 * the feed) the stored JSON is parsed once, when first needed.
 */
final class Change {

    final ResourceVersion version;
    private final SearchParameterRegistry registry;
    /** The version's search-resource record as its write computed it; null: parse the stored JSON instead. */
    private final byte[] record;
    private final Map<CompiledParam, List<byte[]>> values = new IdentityHashMap<>();
    private Resource parsed;
    private Set<String> compartments;

    Change(ResourceVersion version, SearchParameterRegistry registry, byte[] record) {
        this.version = version;
        this.registry = registry;
        this.record = record;
    }

    Change(ResourceVersion version, SearchParameterRegistry registry) {
        this(version, registry, null);
    }

    /** The resource's encoded values of one parameter (as the indexer computes them). */
    List<byte[]> values(CompiledParam param) {
        List<byte[]> v = values.get(param);
        if (v == null) {
            v = record != null ? fromRecord(param) : ResourceIndexer.values(resource(), param, registry::byUrl);
            values.put(param, v);
        }
        return v;
    }

    /** {@code Patient/123}, ... : the compartments the resource is in. */
    Set<String> compartments(java.util.function.Function<Resource, Set<String>> ofResource) {
        if (compartments == null) {
            if (record != null) {
                Set<String> out = new LinkedHashSet<>();
                for (byte[] marker : ValueRecord.values(record, Bytes.utf8(IndexKeys.COMPARTMENTS))) {
                    out.add(Encoded.parts(marker)[0]);
                }
                compartments = out;
            } else {
                compartments = ofResource.apply(resource());
            }
        }
        return compartments;
    }

    /** Whether the values come from the write's record (nothing parsed). */
    boolean fromIndex() {
        return record != null;
    }

    private List<byte[]> fromRecord(CompiledParam param) {
        List<String> codes = registry.storedCodes(version.type(), param.code());
        if (codes.size() == 1) {
            return ValueRecord.values(record, Bytes.utf8(codes.get(0)));
        }
        List<byte[]> all = new ArrayList<>();
        for (String code : codes) {
            all.addAll(ValueRecord.values(record, Bytes.utf8(code)));
        }
        return all;
    }

    private Resource resource() {
        if (parsed == null) {
            parsed = ResourceReader.readStored(version.json());
        }
        return parsed;
    }
}
