package dev.fhirbolt.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * An uploaded code system read from storage: the concepts from {@link ConceptStore#CONCEPTS}, everything else from
 * its index ({@link IndexKeys}). The heap holds the CodeSystem without its concepts and the last {@value #RECENT}
 * concepts read, nothing per concept of the code system; each call reads the keys it needs (a code lookup is one get, a text filter a range per word of the filter, a hierarchy
 * walk a range per concept visited).
 */
final class StoredCodeSystemIndex implements CodeSystemIndex {

    private final CodeSystem resource;
    private final KvStore reads;
    private final byte[] upload;
    private final int size;
    /** The concepts read last (a request reads a member's concept several times: display, designations, abstract). */
    private final java.util.Map<Integer, ConceptDefinitionComponent> recent =
            new java.util.LinkedHashMap<>(RECENT, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Integer, ConceptDefinitionComponent> e) {
                    return size() > RECENT;
                }
            };
    private static final int RECENT = 256;

    StoredCodeSystemIndex(CodeSystem resource, KvStore reads, byte[] upload, int size) {
        this.resource = resource;
        this.reads = reads;
        this.upload = upload;
        this.size = size;
    }

    @Override
    public CodeSystem resource() {
        return resource;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean hasContent() {
        return true;
    }

    /** The concept without its definition; the same object for a concept read again soon (callers do not change it). */
    @Override
    public ConceptDefinitionComponent concept(int ordinal) {
        synchronized (recent) {
            ConceptDefinitionComponent hit = recent.get(ordinal);
            if (hit != null) {
                return hit;
            }
        }
        ConceptDefinitionComponent c = ConceptRecords.read(record(ordinal), false);
        synchronized (recent) {
            recent.put(ordinal, c);
        }
        return c;
    }

    @Override
    public ConceptDefinitionComponent completeConcept(int ordinal) {
        return ConceptRecords.read(record(ordinal), true);
    }

    private byte[] record(int ordinal) {
        return reads.get(ConceptStore.CONCEPTS, ConceptStore.key(upload, ordinal)).orElseThrow(() ->
                FhirException.conflict("the concepts of the code system " + resource.getUrl() + " were replaced or"
                        + " deleted while this request read them: repeat the request"));
    }

    @Override
    public Optional<Integer> ordinal(String code) {
        Optional<Integer> exact = lookup(IndexKeys.CODE, code);
        if (exact.isPresent() || resource.getCaseSensitive()) {
            return exact;
        }
        String folded = code.toLowerCase(Locale.ROOT);
        Optional<Integer> lower = folded.equals(code) ? Optional.empty() : lookup(IndexKeys.CODE, folded);
        return lower.isPresent() ? lower : lookup(IndexKeys.FOLDED, folded);
    }

    private Optional<Integer> lookup(byte kind, String code) {
        if (code.length() > StoredIndexBuilder.MAX_CODE) {
            return Optional.empty();
        }
        return reads.get(IndexKeys.INDEX, IndexKeys.text(upload, kind, code)).map(IndexKeys::readInt);
    }

    @Override
    public boolean inactive(int ordinal) {
        return reads.get(IndexKeys.INDEX, IndexKeys.ordinal(upload, IndexKeys.INACTIVE, ordinal)).isPresent();
    }

    @Override
    public void dropInactive(BitSet selected) {
        byte[] prefix = IndexKeys.kind(upload, IndexKeys.INACTIVE);
        try (KvSnapshot s = reads.snapshot(); KvCursor c = s.cursor(IndexKeys.INDEX)) {
            for (c.seek(prefix); c.isValid() && StoredIndexBuilder.startsWith(c.key(), prefix); c.next()) {
                selected.clear(IndexKeys.lastInt(c.key()));
            }
        }
    }

    @Override
    public int[] parents(int ordinal) {
        return edges(IndexKeys.PARENT, ordinal);
    }

    @Override
    public int[] children(int ordinal) {
        return edges(IndexKeys.CHILD, ordinal);
    }

    private int[] edges(byte kind, int ordinal) {
        try (KvSnapshot s = reads.snapshot(); KvCursor c = s.cursor(IndexKeys.INDEX)) {
            return edges(c, kind, ordinal, new int[4]);
        }
    }

    /** The far ends of the edges of one kind from {@code ordinal}; the first element of the answer is their number. */
    private int[] edges(KvCursor c, byte kind, int ordinal, int[] into) {
        byte[] prefix = IndexKeys.ordinal(upload, kind, ordinal);
        int n = 0;
        for (c.seek(prefix); c.isValid() && StoredIndexBuilder.startsWith(c.key(), prefix); c.next()) {
            if (n == into.length) {
                into = Arrays.copyOf(into, n * 2);
            }
            into[n++] = IndexKeys.lastInt(c.key());
        }
        return Arrays.copyOf(into, n);
    }

    @Override
    public BitSet descendantsOrSelf(int ordinal) {
        return closure(ordinal, IndexKeys.CHILD);
    }

    @Override
    public BitSet ancestorsOrSelf(int ordinal) {
        return closure(ordinal, IndexKeys.PARENT);
    }

    /** A walk along one kind of edge with one cursor: a range read per concept reached. */
    private BitSet closure(int start, byte kind) {
        BitSet seen = new BitSet();
        seen.set(start);
        int[] todo = new int[16];
        int n = 0;
        todo[n++] = start;
        int[] scratch = new int[16];
        try (KvSnapshot s = reads.snapshot(); KvCursor c = s.cursor(IndexKeys.INDEX)) {
            while (n > 0) {
                for (int e : edges(c, kind, todo[--n], scratch)) {
                    if (!seen.get(e)) {
                        seen.set(e);
                        if (n == todo.length) {
                            todo = Arrays.copyOf(todo, n * 2);
                        }
                        todo[n++] = e;
                    }
                }
            }
        }
        return seen;
    }

    @Override
    public BitSet matching(String text) {
        BitSet result = null;
        try (KvSnapshot s = reads.snapshot(); KvCursor c = s.cursor(IndexKeys.INDEX)) {
            for (String word : WordIndex.split(text)) {
                if (word.length() > StoredIndexBuilder.MAX_CODE) {
                    return new BitSet();
                }
                BitSet these = new BitSet(size);
                byte[] prefix = IndexKeys.text(upload, IndexKeys.WORD, word);
                for (c.seek(prefix); c.isValid() && StoredIndexBuilder.startsWith(c.key(), prefix); c.next()) {
                    ByteBuffer ordinals = ByteBuffer.wrap(c.value());
                    while (ordinals.hasRemaining()) {
                        these.set(ordinals.getInt());
                    }
                }
                if (result == null) {
                    result = these;
                } else {
                    result.and(these);
                }
                if (result.isEmpty()) {
                    return result;
                }
            }
        }
        if (result == null) {
            result = new BitSet(size);
            result.set(0, size);
        }
        return result;
    }
}
