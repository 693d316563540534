package dev.fhirbolt.terminology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored index of an uploaded code system answers exactly what the heap index of the same CodeSystem answers:
 * codes (case-insensitive too), hierarchy from nesting and from parent and child properties (forward references
 * included), inactive concepts, and text filters across several word chunks.
 */
class StoredCodeSystemIndexTest {

    static final String[] WORDS = {"acute", "chronic", "left", "right", "fracture", "infection", "Knee", "lung",
        "hip", "arm", "upper"};

    /** 20,000 concepts: K0 tops, K(i) below K(i/7) by property (parents later in the file for some), nesting too. */
    static CodeSystem generated(int n) {
        CodeSystem cs = new CodeSystem();
        cs.setUrl("http://example.org/cs/stored").setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE)
                .setContent(CodeSystem.CodeSystemContentMode.COMPLETE);
        ConceptDefinitionComponent holder = null;
        for (int i = 0; i < n; i++) {
            ConceptDefinitionComponent c = new ConceptDefinitionComponent().setCode("K" + i)
                    .setDisplay(WORDS[i % 11] + " " + WORDS[(i / 11) % 11] + " " + i)
                    .setDefinition("definition of " + i);
            if (i > 0 && i % 500 != 0) {
                c.addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("parent"),
                        new CodeType("K" + (i / 7))));
            }
            if (i % 97 == 0) {
                c.addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("inactive"), new BooleanType(true)));
            }
            if (i % 1000 == 3 && i + 4000 < n) { // a child named before it is defined
                c.addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("child"),
                        new CodeType("K" + (i + 4000))));
            }
            c.addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("group"), new StringType("g" + i % 5)));
            if (i % 50 == 1 || i == 8188) {
                holder = c;
                cs.addConcept(c);
            } else if ((i % 50 > 1 && i % 50 < 5 || i > 8188 && i < 8196) && holder != null) { // across a chunk
                holder.addConcept(c); // nested
            } else {
                cs.addConcept(c);
            }
        }
        return cs;
    }

    @Test
    void answersWhatTheHeapIndexAnswers(@TempDir Path dir) throws Exception {
        CodeSystem cs = generated(20_000);
        CodeSystemIndex heap = CodeSystemIndex.of(cs);
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(cs);
        try (KvStore kv = new RocksDbEngine(dir, 8 << 20).open(ConceptStore.keyspaces())) {
            ConceptStore store = new ConceptStore(kv, kv);
            String upload = ConceptStore.newUploadId();
            var result = StreamedConcepts.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                    store.writer(upload));
            assertEquals(heap.size(), result.count());
            CodeSystem header = new CodeSystem().setUrl(cs.getUrl());
            CodeSystemIndex stored = store.index(header, upload);
            assertEquals(heap.size(), stored.size());
            assertTrue(noKeys(kv, IndexKeys.REFS), "the pending property codes are gone once the index is built");

            for (int o = 0; o < heap.size(); o += 7) {
                assertEquals(heap.concept(o).getCode(), stored.concept(o).getCode());
                assertEquals(heap.concept(o).getDisplay(), stored.concept(o).getDisplay());
                assertEquals(sorted(heap.parents(o)), sorted(stored.parents(o)), "parents of " + o);
                assertEquals(sorted(heap.children(o)), sorted(stored.children(o)), "children of " + o);
                assertEquals(heap.inactive(o), stored.inactive(o));
                assertEquals(heap.ordinal("K" + o), stored.ordinal("K" + o));
                assertEquals(heap.ordinal("k" + o), stored.ordinal("k" + o), "case-insensitive");
            }
            assertEquals("definition of 4321", stored.completeConcept(4321).getDefinition());
            assertFalse(stored.concept(4321).hasDefinition());
            for (int o : new int[] {0, 1, 3, 7, 51, 1003, 5003, 19_999}) {
                assertEquals(heap.descendantsOrSelf(o), stored.descendantsOrSelf(o), "below " + o);
                assertEquals(heap.ancestorsOrSelf(o), stored.ancestorsOrSelf(o), "above " + o);
            }
            assertTrue(stored.subsumes(3, 4003) && !stored.subsumes(4003, 3));
            for (String text : List.of("acute", "chronic kne", "KNEE lung", "12", "k19", "hip 1999", "zebra", "")) {
                assertEquals(heap.matching(text), stored.matching(text), text);
            }
            BitSet all = new BitSet();
            all.set(0, heap.size());
            BitSet fromHeap = (BitSet) all.clone();
            heap.dropInactive(fromHeap);
            stored.dropInactive(all);
            assertEquals(fromHeap, all);

            CodeSystem sensitive = new CodeSystem().setUrl(cs.getUrl()).setCaseSensitive(true);
            assertTrue(store.index(sensitive, upload).ordinal("k5").isEmpty());

            store.delete(upload);
            assertTrue(noKeys(kv, (byte) 0) && noConcepts(kv), "an upload's records are all deleted");
        }
    }

    private static List<Integer> sorted(int[] a) {
        return Arrays.stream(a).sorted().boxed().toList();
    }

    private static boolean noKeys(KvStore kv, byte kind) {
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(IndexKeys.INDEX)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                if (kind == 0 || c.key()[16] == kind) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean noConcepts(KvStore kv) {
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(ConceptStore.CONCEPTS)) {
            c.seekToFirst();
            return !c.isValid();
        }
    }
}
