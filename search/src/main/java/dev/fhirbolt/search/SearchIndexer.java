package dev.fhirbolt.search;

import dev.fhirbolt.database.DerivedEntries;
import dev.fhirbolt.search.index.DateRange;
import dev.fhirbolt.search.index.DateValues;
import dev.fhirbolt.search.index.ResourceIndexer;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * Derives the search index entries of a resource. Call {@link #index} on the request thread (it evaluates every
 * parameter's FHIRPath) and pass the result as the write's {@link DerivedEntries}; the commit pipeline then only adds
 * the _lastUpdated entries and replaces the previous version's entries atomically with the new version.
 */
public final class SearchIndexer {

    private final SearchParameterRegistry registry;

    public SearchIndexer(SearchParameterRegistry registry) {
        this.registry = registry;
    }

    /** The resource must have its id set. */
    public DerivedEntries index(Resource resource) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        if (id == null) {
            throw new IllegalArgumentException("index a resource only once it has an id");
        }
        return withLastUpdated(ResourceIndexer.entries(resource, registry.indexed(type), registry::byUrl));
    }

    /** {@code fixed}, every entry but _lastUpdated's, completed with those once the commit knows the time. */
    public static DerivedEntries withLastUpdated(ResourceIndexer.Indexed fixed) {
        return new IndexedEntries(fixed);
    }

    /**
     * The entries of a resource as its write carries them: who sees the write afterwards (subscriptions, through the
     * commit listener) can read the resource's values of each parameter from {@link #fixed}'s record instead of
     * parsing the resource again.
     */
    public record IndexedEntries(ResourceIndexer.Indexed fixed) implements DerivedEntries {

        @Override
        public List<dev.fhirbolt.database.KvEntry> entries(long version, java.time.Instant lastUpdated) {
            List<byte[]> values = new ArrayList<>(2);
            DateValues.add(DateRange.instant(lastUpdated.toEpochMilli()), values);
            return fixed.with("_lastUpdated", values);
        }
    }

    public SearchParameterRegistry registry() {
        return registry;
    }
}
