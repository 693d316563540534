package dev.fhirbolt.cluster;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.DerivedEntries;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.database.Replication;
import dev.fhirbolt.database.VersionedBody;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvPrecondition;
import dev.fhirbolt.storage.Keyspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The bytes of a {@link LogCommand} in the log. A resource write travels with everything its apply needs and nothing a
 * node would have to compute again: the body before stamping, the index entries (computed by the writer for the time
 * it fixed; they may depend on lastUpdated but not on the version), the expectation and the planner's read set.
 */
final class LogCodec {

    private static final byte FORMAT = 1;
    private static final byte RESOURCE_COMMIT = 1;
    private static final byte KV_CHANGE = 2;
    private static final byte STORED = 3;
    private static final byte ADDRESSED = 4;
    private static final byte ADDRESSED_MEMBER = 5;
    /** Not a log record: a content-store value holding several commands put together ({@link ContentGroups}). */
    private static final byte GROUP = 6;

    /** The few keyspaces index entries name, decoded once each rather than once per entry. */
    private static final int MAX_KEYSPACES = 1024;

    private final Function<byte[], VersionedBody> bodies;
    private final java.util.concurrent.ConcurrentHashMap<String, Keyspace> keyspaces =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code bodies} rebuilds a body from its {@link VersionedBody#template()}. */
    LogCodec(Function<byte[], VersionedBody> bodies) {
        this.bodies = bodies;
    }

    /** A command's bytes for the log, and the command as a node decoding those bytes gets it. */
    record Encoded(byte[] bytes, LogCommand decoded) {
    }

    byte[] encode(LogCommand command) {
        if (command instanceof LogCommand.ResourceCommit c) {
            return encodeResourceCommit(c, false).bytes();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            switch (command) {
                case LogCommand.ResourceCommit c -> throw new IllegalStateException("encoded above");
                case LogCommand.KvChange c -> {
                    out.writeByte(KV_CHANGE);
                    out.writeUTF(c.requestId());
                    out.writeInt(c.preconditions().size());
                    for (KvPrecondition p : c.preconditions()) {
                        out.writeUTF(p.keyspace().name());
                        writeBytes(out, p.key());
                        writeBytes(out, p.value().orElse(null));
                    }
                    out.writeInt(c.batch().changes().size());
                    for (KvBatch.Change change : c.batch().changes()) {
                        out.writeUTF(change.keyspace().name());
                        writeBytes(out, change.key());
                        writeBytes(out, change.value());
                    }
                }
                case LogCommand.Stored s -> {
                    out.writeByte(STORED);
                    writeBytes(out, s.key());
                }
                case LogCommand.Addressed a -> {
                    out.writeByte(a.member() == 0 ? ADDRESSED : ADDRESSED_MEMBER);
                    writeBytes(out, a.key());
                    if (a.member() != 0) {
                        out.writeShort(a.member());
                    }
                    out.write(a.command());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Encodes a resource commit; with {@code decoded}, also gives the command exactly as {@link #decode} would rebuild
     * it from those bytes (the same time to the millisecond, read types, writes, bodies made from the templates by the
     * same function, index entries as encoded), built without a second pass over the bytes: the node that logs a
     * command applies that, so its own commands cost no decoding. The buffer is sized from the commit beforehand, so a
     * large transaction's bytes are not copied again and again as they grow.
     */
    Encoded encodeResourceCommit(LogCommand.ResourceCommit command, boolean decoded) {
        Commit commit = command.commit();
        Replication how = commit.replication();
        Instant at = how.at();
        List<Write> writes = commit.writes();
        byte[][] templates = new byte[writes.size()][];
        List<List<KvEntry>> derived = new ArrayList<>(writes.size());
        long size = 2 + utfSize(command.requestId()) + 8 + 8 + 4 + 4;
        for (String type : how.readTypes()) {
            size += utfSize(type);
        }
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            templates[i] = write.body() == null ? null : write.body().template().orElseThrow(
                    () -> new IllegalArgumentException(write.type() + "/" + write.id()
                            + " has a body that cannot be sent to other nodes"));
            List<KvEntry> entries = write.derived().entries(0, at);
            derived.add(entries);
            size += 1 + utfSize(write.type()) + utfSize(write.id())
                    + (write.expectation() instanceof Expectation.Version ? 9 : 1)
                    + 4 + (templates[i] == null ? 0 : templates[i].length) + 4;
            for (KvEntry entry : entries) {
                size += utfSize(entry.keyspace().name()) + 4 + (entry.key() == null ? 0 : entry.key().length)
                        + 4 + (entry.value() == null ? 0 : entry.value().length);
            }
        }
        Sized bytes = new Sized((int) Math.min(size, Integer.MAX_VALUE - 16));
        List<Write> rebuilt = decoded ? new ArrayList<>(writes.size()) : null;
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(RESOURCE_COMMIT);
            out.writeUTF(command.requestId());
            out.writeLong(at.toEpochMilli());
            out.writeLong(how.baseT());
            out.writeInt(how.readTypes().size());
            for (String type : how.readTypes()) {
                out.writeUTF(type);
            }
            out.writeInt(writes.size());
            for (int i = 0; i < writes.size(); i++) {
                Write write = writes.get(i);
                out.writeByte(write.method().ordinal());
                out.writeUTF(write.type());
                out.writeUTF(write.id());
                switch (write.expectation()) {
                    case Expectation.Any any -> out.writeByte(0);
                    case Expectation.Absent absent -> out.writeByte(1);
                    case Expectation.Version v -> {
                        out.writeByte(2);
                        out.writeLong(v.version());
                    }
                }
                writeBytes(out, templates[i]);
                List<KvEntry> entries = derived.get(i);
                out.writeInt(entries.size());
                for (KvEntry entry : entries) {
                    out.writeUTF(entry.keyspace().name());
                    writeBytes(out, entry.key());
                    writeBytes(out, entry.value());
                }
                if (decoded) {
                    List<KvEntry> fixed = List.copyOf(entries);
                    rebuilt.add(new Write(write.method(), write.type(), write.id(), write.expectation(),
                            templates[i] == null ? null : bodies.apply(templates[i]),
                            fixed.isEmpty() ? DerivedEntries.NONE : (version, lastUpdated) -> fixed));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LogCommand view = decoded ? new LogCommand.ResourceCommit(command.requestId(), new Commit(rebuilt,
                new Replication(-1, Instant.ofEpochMilli(at.toEpochMilli()), how.baseT(), how.readTypes())))
                : null;
        return new Encoded(bytes.bytes(), view);
    }

    /**
     * The request id of an encoded resource command (a {@link LogCommand.ResourceCommit} record, or the command an
     * addressed record carries), read without decoding the rest; null for any other record.
     */
    static String requestIdOf(byte[] command) {
        if (command.length < 4 || command[0] != FORMAT || command[1] != RESOURCE_COMMIT) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(command, 2, command.length - 2))) {
            return in.readUTF();
        } catch (IOException e) {
            return null;
        }
    }

    /** The bytes {@link DataOutputStream#writeUTF} writes for {@code s}: its length, then modified UTF-8. */
    private static int utfSize(String s) {
        int size = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            size += c >= 1 && c <= 0x7f ? 1 : c <= 0x7ff ? 2 : 3;
        }
        return size;
    }

    /** A byte stream of an expected size that hands over its buffer without a copy when the size was exact. */
    private static final class Sized extends ByteArrayOutputStream {
        Sized(int expected) {
            super(Math.max(32, expected));
        }

        byte[] bytes() {
            return count == buf.length ? buf : java.util.Arrays.copyOf(buf, count);
        }
    }

    LogCommand decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IllegalStateException("log record of format " + format + " is unknown to this version"
                        + " of Fhirbolt (it reads format " + FORMAT + "): upgrade this node; it applies nothing past"
                        + " that record until then");
            }
            byte kind = in.readByte();
            return switch (kind) {
                case RESOURCE_COMMIT -> new LogCommand.ResourceCommit(in.readUTF(), readCommit(in));
                case KV_CHANGE -> readKvChange(in);
                case STORED -> new LogCommand.Stored(readBytes(in));
                case ADDRESSED -> new LogCommand.Addressed(readBytes(in), in.readAllBytes());
                case ADDRESSED_MEMBER -> new LogCommand.Addressed(readBytes(in), in.readUnsignedShort(),
                        in.readAllBytes());
                default -> throw new IllegalStateException("log record kind " + kind + " is unknown to this"
                        + " version of Fhirbolt (a newer node wrote it; this one knows kinds 1 to " + ADDRESSED_MEMBER
                        + "): upgrade this node; it applies nothing past that record until then");
            };
        } catch (IOException e) {
            throw new UncheckedIOException("a log record could not be decoded", e);
        }
    }

    private Commit readCommit(DataInputStream in) throws IOException {
        Instant at = Instant.ofEpochMilli(in.readLong());
        long baseT = in.readLong();
        int typeCount = in.readInt();
        Set<String> types = new HashSet<>(typeCount);
        for (int i = 0; i < typeCount; i++) {
            types.add(in.readUTF());
        }
        int writeCount = in.readInt();
        List<Write> writes = new ArrayList<>(writeCount);
        WriteMethod[] methods = WriteMethod.values();
        for (int i = 0; i < writeCount; i++) {
            WriteMethod method = methods[in.readByte()];
            String type = in.readUTF();
            String id = in.readUTF();
            byte tag = in.readByte();
            Expectation expectation = switch (tag) {
                case 0 -> Expectation.ANY;
                case 1 -> Expectation.ABSENT;
                case 2 -> new Expectation.Version(in.readLong());
                default -> throw new IllegalStateException("unknown expectation " + tag);
            };
            byte[] template = readBytes(in);
            int derivedCount = in.readInt();
            List<KvEntry> derived = new ArrayList<>(derivedCount);
            for (int d = 0; d < derivedCount; d++) {
                derived.add(new KvEntry(keyspace(in.readUTF()), readBytes(in), readBytes(in)));
            }
            DerivedEntries entries = derived.isEmpty() ? DerivedEntries.NONE : (version, lastUpdated) -> derived;
            writes.add(new Write(method, type, id, expectation, template == null ? null : bodies.apply(template),
                    entries));
        }
        return new Commit(writes, new Replication(-1, at, baseT, types));
    }

    /** One content-store value holding the encoded {@code commands}, in order (member 0 first). */
    static byte[] encodeGroup(List<byte[]> commands) {
        int size = 6;
        for (byte[] command : commands) {
            size += 4 + command.length;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeByte(GROUP);
            out.writeInt(commands.size());
            for (byte[] command : commands) {
                writeBytes(out, command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The bodies of a content-store value by member and write index: one member for a single command, one per
     * command for a group.
     */
    List<List<VersionedBody>> decodeMembers(byte[] value) {
        if (value.length < 2 || value[0] != FORMAT || value[1] != GROUP) {
            return List.of(decodeBodies(value));
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            in.skipBytes(2);
            int count = in.readInt();
            List<List<VersionedBody>> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(decodeBodies(readBytes(in)));
            }
            return members;
        } catch (IOException e) {
            throw new UncheckedIOException("a stored group of commands could not be decoded", e);
        }
    }

    /**
     * The bodies of an encoded resource command by write index (null for a deletion), skipping everything else (the
     * index entries): what a read that missed the content cache needs from the command it fetched.
     */
    List<VersionedBody> decodeBodies(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            byte format = in.readByte();
            byte kind = in.readByte();
            if (format != FORMAT || kind != RESOURCE_COMMIT) {
                throw new IllegalStateException("not a resource command of format " + FORMAT + " (format " + format
                        + ", kind " + kind + ")");
            }
            in.readUTF(); // request id
            in.readLong(); // at
            in.readLong(); // base t
            for (int types = in.readInt(); types > 0; types--) {
                in.readUTF();
            }
            int writeCount = in.readInt();
            List<VersionedBody> out = new ArrayList<>(writeCount);
            for (int i = 0; i < writeCount; i++) {
                in.readByte(); // method
                in.readUTF(); // type
                in.readUTF(); // id
                if (in.readByte() == 2) {
                    in.readLong(); // expected version
                }
                byte[] template = readBytes(in);
                out.add(template == null ? null : bodies.apply(template));
                for (int derived = in.readInt(); derived > 0; derived--) {
                    in.skipBytes(in.readUnsignedShort()); // keyspace
                    skipBytes(in); // key
                    skipBytes(in); // value
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("a stored command could not be decoded", e);
        }
    }

    private static void skipBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length > 0) {
            in.skipBytes(length);
        }
    }

    private Keyspace keyspace(String name) {
        Keyspace known = keyspaces.get(name);
        if (known != null) {
            return known;
        }
        Keyspace keyspace = new Keyspace(name);
        if (keyspaces.size() < MAX_KEYSPACES) {
            keyspaces.put(name, keyspace);
        }
        return keyspace;
    }

    private LogCommand.KvChange readKvChange(DataInputStream in) throws IOException {
        String requestId = in.readUTF();
        int count = in.readInt();
        List<KvPrecondition> preconditions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            preconditions.add(new KvPrecondition(keyspace(in.readUTF()), readBytes(in),
                    Optional.ofNullable(readBytes(in))));
        }
        int changes = in.readInt();
        KvBatch batch = new KvBatch();
        for (int i = 0; i < changes; i++) {
            Keyspace keyspace = keyspace(in.readUTF());
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            if (value == null) {
                batch.delete(keyspace, key);
            } else {
                batch.put(keyspace, key, value);
            }
        }
        return new LogCommand.KvChange(requestId, preconditions, batch);
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
