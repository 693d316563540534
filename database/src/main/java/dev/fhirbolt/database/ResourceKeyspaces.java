package dev.fhirbolt.database;

import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.Keyspace;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * The key layout of resources, their history and the change feed (see docs/storage-layout.md).
 *
 * <pre>
 * resource-current  type 0 id 0                 -> version:8 t:8 lastUpdated:8 deleted:1
 * resource-version  type 0 id 0 version:8        -> t:8 lastUpdated:8 kind:1 method:1 json-or-reference
 * change-feed       t:8 type 0 id 0              -> version:8 lastUpdated:8 deleted:1
 * type-changes      type 0 t:8 id 0              -> version:8 lastUpdated:8 deleted:1
 * database-meta     name                         -> value
 * </pre>
 *
 * A version's kind is 0 (its stamped JSON follows), 1 (a deletion, nothing follows) or 2 (a cluster node's: a content
 * reference follows, which the store's {@link ContentSource} resolves to the JSON).
 */
public final class ResourceKeyspaces {

    public static final Keyspace CURRENT = new Keyspace("resource-current");
    public static final Keyspace VERSIONS = new Keyspace("resource-version");
    public static final Keyspace CHANGES = new Keyspace("change-feed");
    public static final Keyspace TYPE_CHANGES = new Keyspace("type-changes");
    public static final Keyspace META = new Keyspace("database-meta");

    public static final List<Keyspace> ALL = List.of(CURRENT, VERSIONS, CHANGES, TYPE_CHANGES, META);

    static final byte[] LAST_T = Bytes.utf8("last-t");
    /** The log position of the last commit applied from the cluster's transaction log. */
    static final byte[] LAST_POSITION = Bytes.utf8("last-log-position");

    private ResourceKeyspaces() {
    }

    static byte[] resourceKey(String type, String id) {
        return Bytes.key(type, id);
    }

    static byte[] versionKey(String type, String id, long version) {
        return Bytes.key(type, id, version);
    }

    static byte[] changeKey(long t, String type, String id) {
        return Bytes.key(t, type, id);
    }

    static byte[] typeChangeKey(String type, long t, String id) {
        return Bytes.key(type, t, id);
    }

    /** The small record kept in resource-current, the change feed and type-changes. */
    record State(long version, long t, Instant lastUpdated, boolean deleted) {

        byte[] encodeCurrent() {
            return ByteBuffer.allocate(25).putLong(version).putLong(t).putLong(lastUpdated.toEpochMilli())
                    .put((byte) (deleted ? 1 : 0)).array();
        }

        static State decodeCurrent(byte[] value) {
            ByteBuffer b = ByteBuffer.wrap(value);
            return new State(b.getLong(), b.getLong(), Instant.ofEpochMilli(b.getLong()), b.get() == 1);
        }

        byte[] encodeChange() {
            return ByteBuffer.allocate(17).putLong(version).putLong(lastUpdated.toEpochMilli())
                    .put((byte) (deleted ? 1 : 0)).array();
        }
    }

    private static final byte LIVE = 0;
    private static final byte DELETED = 1;
    private static final byte REFERENCED = 2;

    static byte[] encodeVersion(long t, Instant lastUpdated, boolean deleted, WriteMethod method, byte[] json) {
        return encodeVersion(t, lastUpdated, deleted ? DELETED : LIVE, method, json);
    }

    /** A live version whose contents are kept elsewhere: {@code reference} is stored instead of its JSON. */
    static byte[] encodeReference(long t, Instant lastUpdated, WriteMethod method, byte[] reference) {
        return encodeVersion(t, lastUpdated, REFERENCED, method, reference);
    }

    private static byte[] encodeVersion(long t, Instant lastUpdated, byte kind, WriteMethod method, byte[] body) {
        int length = body == null ? 0 : body.length;
        ByteBuffer b = ByteBuffer.allocate(18 + length).putLong(t).putLong(lastUpdated.toEpochMilli())
                .put(kind).put((byte) method.ordinal());
        if (body != null) {
            b.put(body);
        }
        return b.array();
    }

    /** A version with its JSON, resolving a content reference through {@code contents}. */
    static ResourceVersion decodeVersion(String type, String id, long version, byte[] value, ContentSource contents) {
        ByteBuffer b = ByteBuffer.wrap(value);
        long t = b.getLong();
        Instant lastUpdated = Instant.ofEpochMilli(b.getLong());
        byte kind = b.get();
        WriteMethod method = WriteMethod.values()[b.get()];
        byte[] json = switch (kind) {
            case DELETED -> null;
            case REFERENCED -> contents.resolve(java.util.Arrays.copyOfRange(value, 18, value.length), version,
                    lastUpdated);
            default -> java.util.Arrays.copyOfRange(value, 18, value.length);
        };
        return new ResourceVersion(type, id, version, lastUpdated, kind == DELETED, method, t, json);
    }

    /** The transaction of a stored version, without its contents. */
    static long versionT(byte[] value) {
        return ByteBuffer.wrap(value).getLong(0);
    }

    /** The lastUpdated of a stored version, without its contents. */
    static Instant versionLastUpdated(byte[] value) {
        return Instant.ofEpochMilli(ByteBuffer.wrap(value).getLong(8));
    }

    /** Whether a stored version is a deletion. */
    static boolean versionDeleted(byte[] value) {
        return value[16] == DELETED;
    }

    /** Whether a stored version holds a content reference rather than its JSON. */
    static boolean versionReferenced(byte[] value) {
        return value[16] == REFERENCED;
    }
}
