package dev.fhirbolt.terminology;

import dev.fhirbolt.storage.KvBatch;
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

/**
 * The concepts of code systems uploaded as a stream ({@code CodeSystem/[id]/$upload}), kept in their own keyspace
 * instead of inside the CodeSystem resource: one record per concept under the upload's id, in definition order. Key:
 * the upload id (16 bytes) and the concept's ordinal (4 bytes, big-endian); value: the concept as compact JSON
 * ({@link StreamedConcepts} writes it, {@link ConceptRecords} reads it). Batches are written without waiting for the
 * disk, the last one durably (which makes those before it durable too): an upload's concepts are named by nothing
 * until its CodeSystem is written, after that last batch.
 */
public final class ConceptStore {

    public static final Keyspace CONCEPTS = new Keyspace("terminology-concepts");
    /** The extension on an uploaded CodeSystem naming the upload whose concepts are its own. */
    public static final String UPLOAD_EXTENSION = "https://fhirbolt.dev/fhir/StructureDefinition/concepts-upload";
    private static final int ID_BYTES = 16;
    private static final int BATCH_BYTES = 4 * 1024 * 1024;

    private final KvStore reads;
    private final KvStore writes;

    /**
     * @param reads  the store concepts are read from (this node's)
     * @param writes the store uploads are written to (in a cluster, the one whose writes every node applies)
     */
    public ConceptStore(KvStore reads, KvStore writes) {
        this.reads = reads;
        this.writes = writes;
    }

    public static List<Keyspace> keyspaces() {
        return List.of(CONCEPTS);
    }

    /** A new upload id (random, 32 hex digits). */
    public static String newUploadId() {
        byte[] id = new byte[ID_BYTES];
        new java.security.SecureRandom().nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** Writes one upload's concepts in batches of a few MB, each durable before the next is filled. */
    public Writer writer(String uploadId) {
        return new Writer(prefix(uploadId));
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

    /** Removes an upload's concepts (a failed upload, or one replaced or deleted). */
    public void delete(String uploadId) {
        byte[] prefix = prefix(uploadId);
        KvBatch batch = new KvBatch();
        try (KvSnapshot snapshot = reads.snapshot(); KvCursor c = snapshot.cursor(CONCEPTS)) {
            for (c.seek(prefix); c.isValid() && startsWith(c.key(), prefix); c.next()) {
                batch.delete(CONCEPTS, c.key().clone());
                if (batch.changes().size() >= 10_000) {
                    writes.write(batch, false);
                    batch = new KvBatch();
                }
            }
        }
        if (!batch.isEmpty()) {
            writes.write(batch, true);
        }
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

    private static byte[] key(byte[] prefix, int ordinal) {
        return ByteBuffer.allocate(ID_BYTES + 4).put(prefix).putInt(ordinal).array();
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Collects concepts into batches and writes each when it is full. */
    public final class Writer {
        private final byte[] prefix;
        private KvBatch batch = new KvBatch();
        private long batchBytes;

        private Writer(byte[] prefix) {
            this.prefix = prefix;
        }

        public void put(int ordinal, byte[] concept) {
            if (batchBytes >= BATCH_BYTES) {
                // made durable by the last batch, never empty since written only here, before adding: until the
                // CodeSystem is written, nothing names these concepts
                write(false);
            }
            batch.put(CONCEPTS, key(prefix, ordinal), concept);
            batchBytes += concept.length + ID_BYTES + 4;
        }

        /** Writes what is collected, durably with every batch before it. */
        public void flush() {
            write(true);
        }

        private void write(boolean durable) {
            writes.write(batch, durable);
            batch = new KvBatch();
            batchBytes = 0;
        }
    }
}
