package dev.fhirbolt.terminology;

import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * Writes the index of an uploaded code system ({@link IndexKeys}) as its concepts arrive: codes,
 * words (one posting list per word and chunk of {@value IndexKeys#CHUNK} concepts added: only one chunk's words
 * are in memory), inactive concepts, nesting edges, and the {@code parent}/{@code child} property codes, which may name
 * concepts that come later and are resolved by {@link #finish} from the codes written by then. The marker that the
 * index is complete is written last.
 */
final class StoredIndexBuilder {

    /** The longest code taken (codes are keys). */
    static final int MAX_CODE = 4096;

    private final byte[] upload;
    private final KvStore reads;
    private final BatchedWrites out;
    private final Map<String, int[]> chunkWords = new HashMap<>();
    /** The codes of the batch not written yet (those written are found in the store). */
    private final java.util.Set<String> unwritten = new java.util.HashSet<>();
    /** The number of word lists written so far (each list's key holds it) and the concepts in the current one. */
    private int chunk;
    private int inChunk;

    StoredIndexBuilder(byte[] upload, KvStore reads, BatchedWrites out) {
        this.upload = upload;
        this.reads = reads;
        this.out = out;
        out.onFlush(unwritten::clear);
    }

    /** Whether a concept with this code was added already. */
    boolean has(String code) {
        return unwritten.contains(code) || code.length() <= MAX_CODE
                && reads.get(IndexKeys.INDEX, IndexKeys.text(upload, IndexKeys.CODE, code)).isPresent();
    }

    /**
     * One concept; {@code nestedIn} is the ordinal it is nested in, or -1. Concepts come in the order they end in the
     * document (a nested one before the one it is nested in), each ordinal once.
     */
    void add(int ordinal, ConceptDefinitionComponent c, int nestedIn) {
        String code = c.getCode();
        if (code.length() > MAX_CODE) {
            throw new IllegalArgumentException("a code is longer than " + MAX_CODE + " characters");
        }
        unwritten.add(code);
        out.put(IndexKeys.INDEX, IndexKeys.text(upload, IndexKeys.CODE, code), IndexKeys.intValue(ordinal));
        String folded = code.toLowerCase(Locale.ROOT);
        if (!folded.equals(code)) {
            out.put(IndexKeys.INDEX, IndexKeys.text(upload, IndexKeys.FOLDED, folded), IndexKeys.intValue(ordinal));
        }
        if (inChunk == IndexKeys.CHUNK) {
            flushWords();
        }
        inChunk++;
        for (String w : WordIndex.words(code, c.getDisplay())) {
            int[] list = chunkWords.get(w);
            if (list == null) {
                list = new int[] {0, 0, 0, 0};
            } else if (list[0] + 1 == list.length) {
                list = Arrays.copyOf(list, list.length * 2);
            }
            list[++list[0]] = ordinal; // list[0] is the length
            chunkWords.put(w, list);
        }
        if (ConceptProperties.inactive(c)) {
            out.put(IndexKeys.INDEX, IndexKeys.ordinal(upload, IndexKeys.INACTIVE, ordinal), new byte[0]);
        }
        if (nestedIn >= 0) {
            edge(nestedIn, ordinal);
        }
        List<String> refs = new ArrayList<>();
        for (var p : c.getProperty()) {
            if (("parent".equals(p.getCode()) || "child".equals(p.getCode())) && p.hasValue()
                    && p.getValue().isPrimitive() && p.getValue().primitiveValue() != null) {
                if (p.getValue().primitiveValue().length() > MAX_CODE) {
                    throw new IllegalArgumentException("a " + p.getCode() + " code is longer than " + MAX_CODE
                            + " characters");
                }
                refs.add(p.getCode().substring(0, 1) + p.getValue().primitiveValue());
            }
        }
        if (!refs.isEmpty()) {
            out.put(IndexKeys.INDEX, IndexKeys.ordinal(upload, IndexKeys.REFS, ordinal), encode(refs));
        }
    }

    private void edge(int parent, int child) {
        out.put(IndexKeys.INDEX, IndexKeys.edge(upload, IndexKeys.PARENT, child, parent), new byte[0]);
        out.put(IndexKeys.INDEX, IndexKeys.edge(upload, IndexKeys.CHILD, parent, child), new byte[0]);
    }

    private void flushWords() {
        for (Map.Entry<String, int[]> e : chunkWords.entrySet()) {
            int[] list = e.getValue();
            ByteBuffer v = ByteBuffer.allocate(list[0] * 4);
            for (int i = 1; i <= list[0]; i++) {
                v.putInt(list[i]);
            }
            out.put(IndexKeys.INDEX, IndexKeys.word(upload, e.getKey(), chunk), v.array());
        }
        chunkWords.clear();
        chunk++;
        inChunk = 0;
    }

    /** Writes the last words, resolves the property codes into edges, and marks the index complete, durably. */
    void finish(int count) {
        flushWords();
        out.flush(false);
        byte[] prefix = IndexKeys.kind(upload, IndexKeys.REFS);
        try (KvSnapshot s = reads.snapshot(); KvCursor c = s.cursor(IndexKeys.INDEX)) {
            for (c.seek(prefix); c.isValid() && startsWith(c.key(), prefix); c.next()) {
                int ordinal = IndexKeys.lastInt(c.key());
                for (String ref : decode(c.value())) {
                    s.get(IndexKeys.INDEX, IndexKeys.text(upload, IndexKeys.CODE, ref.substring(1)))
                            .map(IndexKeys::readInt).ifPresent(other -> {
                                if (ref.charAt(0) == 'p') {
                                    edge(other, ordinal);
                                } else {
                                    edge(ordinal, other);
                                }
                            });
                }
                out.delete(IndexKeys.INDEX, c.key());
            }
        }
        out.put(IndexKeys.INDEX, IndexKeys.kind(upload, IndexKeys.COMPLETE), IndexKeys.intValue(count));
        out.flush(true);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static byte[] encode(List<String> refs) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeInt(refs.size());
            for (String r : refs) {
                d.writeUTF(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<String> decode(byte[] v) {
        try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(v))) {
            int n = d.readInt();
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(d.readUTF());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
