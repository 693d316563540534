package dev.fhirbolt.terminology;

import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.ObjIntConsumer;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * The concepts of code systems uploaded as a stream ({@code CodeSystem/[id]/$upload}), kept in their own keyspace
 * instead of inside the CodeSystem resource, with their index beside them ({@link IndexKeys}): one record per concept
 * under the upload's id, in definition order. Key: the upload id (16 bytes) and the concept's ordinal (4 bytes,
 * big-endian); value: the concept as compact JSON ({@link StreamedConcepts} writes it, {@link ConceptRecords} reads
 * it). Batches are written without waiting for the disk, the last one durably (which makes those before it durable
 * too): an upload's records are named by nothing until its CodeSystem is written, after that last batch.
 */
public final class ConceptStore {

    public static final Keyspace CONCEPTS = new Keyspace("terminology-concepts");
    /** The extension on an uploaded CodeSystem naming the upload whose concepts are its own. */
    public static final String UPLOAD_EXTENSION = "https://fhirbolt.dev/fhir/StructureDefinition/concepts-upload";
    private static final int ID_BYTES = 16;

    private final KvStore reads;
    private final KvStore writes;
    private final java.time.Clock clock;

    /**
     * @param reads  the store concepts are read from (this node's)
     * @param writes the store uploads are written to (in a cluster, the one whose writes every node applies)
     */
    public ConceptStore(KvStore reads, KvStore writes) {
        this(reads, writes, java.time.Clock.systemUTC());
    }

    /** As above, with the clock an upload's marker is stamped with ({@link UploadMarker}). */
    ConceptStore(KvStore reads, KvStore writes, java.time.Clock clock) {
        this.reads = reads;
        this.writes = writes;
        this.clock = clock;
    }

    public static List<Keyspace> keyspaces() {
        return List.of(CONCEPTS, IndexKeys.INDEX);
    }

    /** A new upload id (random, 32 hex digits). */
    public static String newUploadId() {
        byte[] id = new byte[ID_BYTES];
        new java.security.SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /**
     * Writes one upload's concepts and its index in batches of a few MB; its marker ({@link UploadMarker}) is written
     * first, before any concept, and touched while the upload goes on.
     */
    public Writer writer(String uploadId) {
        return new Writer(prefix(uploadId));
    }

    /**
     * The index of an uploaded code system, read from storage. An upload whose index is not complete (one made
     * before uploads had a stored index) has it built from its concepts first.
     */
    CodeSystemIndex index(org.hl7.fhir.r4.model.CodeSystem header, String uploadId) {
        byte[] upload = prefix(uploadId);
        Optional<byte[]> complete = reads.get(IndexKeys.INDEX, IndexKeys.kind(upload, IndexKeys.COMPLETE));
        if (complete.isEmpty()) {
            StoredIndexBuilder builder = new StoredIndexBuilder(upload, reads, new BatchedWrites(writes));
            int[] count = {0};
            forEach(uploadId, (record, ordinal) -> {
                try {
                    var c = ConceptRecords.JSON.readTree(record);
                    builder.add(ordinal, ConceptRecords.read(c, false), ConceptRecords.nestedIn(c));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("a stored concept of upload " + uploadId + " is not JSON", e);
                }
                count[0] = ordinal + 1;
            });
            builder.finish(count[0]);
            complete = reads.get(IndexKeys.INDEX, IndexKeys.kind(upload, IndexKeys.COMPLETE));
        }
        return new StoredCodeSystemIndex(header, reads, upload, complete.map(IndexKeys::readInt).orElse(0));
    }

    /** Every concept of an upload, in ordinal order. */
    public void forEach(String uploadId, ObjIntConsumer<byte[]> concept) {
        byte[] prefix = prefix(uploadId);
        try (KvSnapshot snapshot = reads.snapshot(); KvCursor c = snapshot.cursor(CONCEPTS)) {
            for (c.seek(prefix); c.isValid() && startsWith(c.key(), prefix); c.next()) {
                concept.accept(c.value(), ByteBuffer.wrap(c.key(), ID_BYTES, 4).getInt());
            }
        }
    }

    /** One concept of an upload. */
    public Optional<byte[]> get(String uploadId, int ordinal) {
        return reads.get(CONCEPTS, key(prefix(uploadId), ordinal));
    }

    /** Removes an upload's concepts and index everywhere (a failed upload: in a cluster, through the log). */
    public void delete(String uploadId) {
        delete(uploadId, writes);
    }

    /**
     * Removes an upload's concepts and index from this node's store only: what each node does itself when it applies
     * the commit that stops naming the upload (a DELETE or replacing PUT of its CodeSystem, a second upload), and what
     * {@link UploadSweep} does with an upload named by nothing. Answers the number of records deleted.
     */
    public long deleteLocally(String uploadId) {
        return delete(uploadId, reads);
    }

    /**
     * Deletes in batches of a few MB, the upload's marker last (in the last batch): a deletion cut short leaves the
     * marker with the records that remain, so the sweep still finds them and knows how old they are.
     */
    private long delete(String uploadId, KvStore target) {
        byte[] prefix = prefix(uploadId);
        byte[] marker = UploadMarker.key(prefix);
        BatchedWrites out = new BatchedWrites(target);
        long deleted = 0;
        boolean marked = false;
        try (KvSnapshot snapshot = reads.snapshot()) {
            for (Keyspace ks : keyspaces()) {
                try (KvCursor c = snapshot.cursor(ks)) {
                    for (c.seek(prefix); c.isValid() && startsWith(c.key(), prefix); c.next()) {
                        if (ks.equals(IndexKeys.INDEX) && Arrays.equals(c.key(), marker)) {
                            marked = true;
                            continue;
                        }
                        out.delete(ks, c.key());
                        deleted++;
                    }
                }
            }
        }
        if (marked) {
            out.flush(false);
            out.delete(IndexKeys.INDEX, marker);
            deleted++;
        }
        out.flush(true);
        return deleted;
    }

    /** The ids of the uploads that have records in this node's store (one seek per upload, not one per record). */
    java.util.Set<String> storedUploads() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        try (KvSnapshot snapshot = reads.snapshot()) {
            for (Keyspace ks : keyspaces()) {
                try (KvCursor c = snapshot.cursor(ks)) {
                    for (c.seekToFirst(); c.isValid(); ) {
                        byte[] key = c.key();
                        if (key.length < ID_BYTES) {
                            c.next();
                            continue;
                        }
                        byte[] id = Arrays.copyOf(key, ID_BYTES);
                        ids.add(HexFormat.of().formatHex(id));
                        byte[] next = successor(id);
                        if (next == null) {
                            break;
                        }
                        c.seek(next);
                    }
                }
            }
        }
        return ids;
    }

    /** The first 16-byte prefix after {@code id}, or null after the last. */
    private static byte[] successor(byte[] id) {
        byte[] next = id.clone();
        for (int i = next.length - 1; i >= 0; i--) {
            if (++next[i] != 0) {
                return next;
            }
        }
        return null;
    }

    /** An upload's marker as this node's store holds it. */
    Optional<UploadMarker> marker(String uploadId) {
        return reads.get(IndexKeys.INDEX, UploadMarker.key(prefix(uploadId))).map(UploadMarker::decode);
    }

    /** Writes an upload's marker to this node's store only (the sweep adopting records written before markers). */
    void markLocally(String uploadId, UploadMarker marker) {
        reads.write(new dev.fhirbolt.storage.KvBatch().put(IndexKeys.INDEX, UploadMarker.key(prefix(uploadId)),
                marker.encode()), false);
    }

    /** The upload a stored CodeSystem's concepts are in, when they were uploaded as a stream. */
    public static Optional<String> uploadOf(org.hl7.fhir.r4.model.CodeSystem cs) {
        org.hl7.fhir.r4.model.Extension e = cs.getExtensionByUrl(UPLOAD_EXTENSION);
        return e == null || !e.hasValue() ? Optional.empty()
                : Optional.ofNullable(e.getValue().primitiveValue()).filter(ConceptStore::isUploadId);
    }

    /** Whether a string is an upload id this store made. */
    public static boolean isUploadId(String id) {
        return id != null && id.length() == ID_BYTES * 2 && id.chars().allMatch(ch -> Character.digit(ch, 16) >= 0);
    }

    private static byte[] prefix(String uploadId) {
        if (!isUploadId(uploadId)) {
            throw new IllegalArgumentException("not an upload id: " + uploadId);
        }
        return HexFormat.of().parseHex(uploadId);
    }

    static byte[] key(byte[] prefix, int ordinal) {
        return ByteBuffer.allocate(ID_BYTES + 4).put(prefix).putInt(ordinal).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return StoredIndexBuilder.startsWith(key, prefix);
    }

    /**
     * Writes an upload's concepts, and its index as they come, in batches of a few MB; and its marker, first and then
     * at least every {@link UploadMarker#TOUCH_MILLIS} ms while concepts arrive, so that {@link UploadSweep} can tell
     * an upload going on (possibly on another node of a cluster) from one abandoned.
     */
    public final class Writer {
        private final byte[] prefix;
        private final BatchedWrites out = new BatchedWrites(writes);
        private final StoredIndexBuilder index;
        private final long started;
        private long touched;

        private Writer(byte[] prefix) {
            this.prefix = prefix;
            this.index = new StoredIndexBuilder(prefix, reads, out);
            this.started = clock.millis();
            touch(started);
        }

        private void touch(long now) {
            touched = now;
            writes.write(new dev.fhirbolt.storage.KvBatch().put(IndexKeys.INDEX, UploadMarker.key(prefix),
                    new UploadMarker(started, now).encode()), false);
        }

        /** One concept, in ordinal order: its record, and the concept as read from it (for the index). */
        void put(int ordinal, byte[] record, ConceptDefinitionComponent concept, int nestedIn) {
            long now = clock.millis();
            if (now - touched >= UploadMarker.TOUCH_MILLIS) {
                touch(now);
            }
            out.put(CONCEPTS, key(prefix, ordinal), record);
            index.add(ordinal, concept, nestedIn);
        }

        /** Whether a concept with this code was put already. */
        boolean has(String code) {
            return index.has(code);
        }

        /**
         * Completes the index and writes everything, durably; then touches the marker, so that the CodeSystem's write,
         * which comes next, has the sweep's whole grace period to name the upload.
         */
        void finish(int count) {
            index.finish(count);
            touch(clock.millis());
        }
    }
}
