package dev.fhirbolt.search;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.query.IndexReader;
import dev.fhirbolt.search.query.QueryContext;
import dev.fhirbolt.search.query.Terminology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import org.hl7.fhir.r4.model.Resource;

/**
 * Resolves ValueSets and CodeSystems from the resources stored in the server, through the same snapshot as the
 * search (by url, url|version, or Type/id). Parsed resources are kept in a small cache keyed by id and version, which
 * never goes stale because versions never change.
 */
final class StoredTerminology implements Terminology {

    /** The parsed resources of recent versions, shared by every search. */
    static final class Cache {
        private final Map<String, Resource> parsed = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Resource> eldest) {
                return size() > 64;
            }
        };

        synchronized Resource get(ResourceVersion v) {
            String key = v.type() + "/" + v.id() + "/" + v.version();
            Resource r = parsed.get(key);
            if (r == null) {
                r = ResourceReader.readStored(v.json());
                parsed.put(key, r);
            }
            return r;
        }
    }

    private final ResourceStore store;
    private final IndexReader reader;
    private final QueryContext.SubSearch search;
    private final Cache cache;

    StoredTerminology(ResourceStore store, IndexReader reader, QueryContext.SubSearch search, Cache cache) {
        this.store = store;
        this.reader = reader;
        this.search = search;
        this.cache = cache;
    }

    @Override
    public Optional<Resource> resolve(String type, String value) {
        String id;
        if (value.startsWith(type + "/")) {
            id = value.substring(type.length() + 1);
        } else {
            int bar = value.indexOf('|');
            Map<String, List<String>> params = bar < 0 ? Map.of("url", List.of(value))
                    : Map.of("url", List.of(value.substring(0, bar)), "version", List.of(value.substring(bar + 1)));
            SortedSet<String> ids = search.ids(type, params);
            if (ids.isEmpty()) {
                return Optional.empty();
            }
            id = ids.first();
        }
        ResourceVersion v = SearchEngine.load(store, reader.snapshot(), type, id);
        return v == null ? Optional.empty() : Optional.of(cache.get(v));
    }
}
