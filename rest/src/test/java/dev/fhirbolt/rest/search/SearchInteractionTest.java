package dev.fhirbolt.rest.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Router;
import dev.fhirbolt.rest.bundle.BundleContent;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.IndexEntryFinder;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchInteractionTest {

    @TempDir
    Path dir;

    @Test
    void searchsetWithPagingLinksAndStrictHandling() {
        List<Keyspace> keyspaces = new ArrayList<>(ResourceStore.keyspaces());
        keyspaces.addAll(SearchEngine.keyspaces());
        try (KvStore kv = new RocksDbEngine(dir, 8L << 20).open(keyspaces)) {
            ResourceStore store = new ResourceStore(kv, Clock.systemUTC(), new IndexEntryFinder());
            SearchParameterRegistry registry = new SearchParameterRegistry();
            SearchIndexer indexer = new SearchIndexer(registry);
            for (String id : List.of("a", "b", "c")) {
                Patient p = new Patient();
                p.setId(id);
                p.addName(new HumanName().setFamily("Smith"));
                store.commit(Commit.of(new Write(WriteMethod.CREATE, "Patient", id, Expectation.ABSENT,
                        StampableJson.of(p), indexer.index(p))));
            }
            SearchInteraction search = new SearchInteraction(new SearchEngine(store, registry));
            BundleContent page = bundle(search, request("family=smith&_count=2&junk=1", Map.of()));
            assertEquals("searchset", page.type());
            assertEquals(3L, page.total().orElseThrow());
            assertEquals(3, page.entries().size(), "two matches and the outcome naming the ignored junk=1");
            assertEquals("match", page.entries().get(0).searchMode().orElseThrow());
            assertEquals("outcome", page.entries().get(2).searchMode().orElseThrow());
            assertEquals("http://x/fhir/Patient?family=smith&_count=2", page.links().get(0).url());
            String next = page.links().get(1).url();
            assertTrue(next.contains("_cursor="));
            BundleContent second = bundle(search, request(next.substring(next.indexOf('?') + 1), Map.of()));
            assertEquals(1, second.entries().size());
            assertEquals("previous", second.links().get(1).relation());
            assertThrows(FhirException.class, () -> search.handle(request("junk=1",
                    Map.of("Prefer", List.of("handling=strict"))), Router.route("GET", "Patient")));
            assertEquals(List.of("b"), new SearchMatcher(new SearchEngine(store, registry))
                    .matchIds("Patient", Params.parse("_id=b"), 2));
            store.close();
        }
    }

    private static FhirRequest request(String query, Map<String, List<String>> headers) {
        return new FhirRequest("GET", "Patient", Params.parse(query), headers, new byte[0], "http://x/fhir",
                "127.0.0.1", Map.of());
    }

    private static BundleContent bundle(SearchInteraction search, FhirRequest request) {
        FhirResponse response = search.handle(request, Router.route("GET", "Patient"));
        return ((ResponseBody.Bundle) response.body()).content();
    }
}
