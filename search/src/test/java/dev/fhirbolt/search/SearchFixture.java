package dev.fhirbolt.search;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.search.index.IndexEntryFinder;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/** A real ResourceStore on RocksDB in a temp dir, with the search indexer and engine wired as the app does. */
public final class SearchFixture implements AutoCloseable {

    public static final SearchParameterRegistry REGISTRY = new SearchParameterRegistry();

    public final KvStore kv;
    /** The store as the engine sees it, counting round trips. */
    final CountingKvStore counting;
    public final ResourceStore store;
    public final SearchIndexer indexer;
    public final SearchEngine engine;

    public SearchFixture(Path dir) {
        this(dir, REGISTRY);
    }

    public SearchFixture(Path dir, SearchParameterRegistry registry) {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(SearchEngine.keyspaces());
        kv = new RocksDbEngine(dir, 8L << 20).open(keyspaces);
        counting = new CountingKvStore(kv);
        store = new ResourceStore(counting, Clock.systemUTC(), new IndexEntryFinder());
        indexer = new SearchIndexer(registry);
        engine = new SearchEngine(store, registry);
    }

    public void create(String json) {
        create(ResourceReader.read(json.getBytes(StandardCharsets.UTF_8), FhirFormat.JSON));
    }

    void create(Resource resource) {
        store.commit(Commit.of(new Write(WriteMethod.CREATE, resource.fhirType(), resource.getIdElement().getIdPart(),
                Expectation.ABSENT, StampableJson.of(resource), indexer.index(resource))));
    }

    public void update(Resource resource) {
        store.commit(Commit.of(new Write(WriteMethod.UPDATE, resource.fhirType(), resource.getIdElement().getIdPart(),
                Expectation.ANY, StampableJson.of(resource), indexer.index(resource))));
    }

    public void delete(String type, String id) {
        store.commit(Commit.of(Write.delete(type, id, Expectation.ANY)));
    }

    /** Loads every entry of a bundle fixture from the test resources, all in one commit. */
    void loadBundle(String resourceName) throws IOException {
        try (InputStream in = SearchFixture.class.getResourceAsStream("/" + resourceName)) {
            Bundle bundle = (Bundle) ResourceReader.read(in.readAllBytes(), FhirFormat.JSON);
            List<Write> writes = new ArrayList<>();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Resource r = entry.getResource();
                r.setId(r.getIdElement().getIdPart());
                writes.add(new Write(WriteMethod.CREATE, r.fhirType(), r.getIdElement().getIdPart(),
                        Expectation.ABSENT, StampableJson.of(r), indexer.index(r)));
            }
            store.commit(new Commit(writes));
        }
    }

    public SearchResult search(String type, String... nameValues) {
        return engine.search(SearchRequest.ofType(type, SearchRequest.params(nameValues)));
    }

    /** The ids of the first page, in result order. */
    public List<String> ids(String type, String... nameValues) {
        return search(type, nameValues).matches().stream().map(ResourceVersion::id).toList();
    }

    @Override
    public void close() {
        store.close();
        kv.close();
    }
}
