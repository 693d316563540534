package dev.fhirbolt.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.DerivedEntries;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.database.Replication;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.Keyspace;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The node that logs a resource command applies it as encoded, without decoding it: what
 * {@link LogCodec#encodeResourceCommit} gives besides the bytes must be exactly what every other node decodes from
 * them, or the nodes would apply different commands.
 */
class LogCodecTest {

    private final LogCodec codec = new LogCodec(ContentCacheTest.BODIES);
    private static final Keyspace INDEX = new Keyspace("search-token");

    /** A commit of every kind of write: creates with index entries, an If-Match update, a deletion; odd names. */
    private static LogCommand.ResourceCommit command() {
        Instant at = Instant.parse("2026-12-07T16:20:30.123456789Z");
        List<Write> writes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] value = i == 1 ? null : new byte[] {(byte) i, 0, (byte) 0xff};
            List<KvEntry> entries = List.of(new KvEntry(INDEX, ("k" + i).getBytes(StandardCharsets.UTF_8), value),
                    new KvEntry(new Keyspace("compartment"), new byte[0], new byte[] {7}));
            writes.add(new Write(WriteMethod.CREATE, "Observation", "o" + i, Expectation.ABSENT,
                    ContentCacheTest.BODIES.apply(("{\"id\":\"o" + i + "\",\"note\":\"é€\"}")
                            .getBytes(StandardCharsets.UTF_8)),
                    (version, lastUpdated) -> entries));
        }
        writes.add(new Write(WriteMethod.UPDATE, "Patient", "p-1", new Expectation.Version(4),
                ContentCacheTest.BODIES.apply("{}".getBytes(StandardCharsets.UTF_8)), DerivedEntries.NONE));
        writes.add(Write.delete("Encounter", "gone", Expectation.ANY));
        return new LogCommand.ResourceCommit("nöde-1@ks/42",
                new Commit(writes, new Replication(-1, at, 17, Set.of("Practitioner", "Organization"))));
    }

    @Test
    void theLoggingNodesCommandIsWhatOtherNodesDecode() {
        LogCodec.Encoded encoded = codec.encodeResourceCommit(command(), true);
        LogCommand.ResourceCommit mine = (LogCommand.ResourceCommit) encoded.decoded();
        LogCommand.ResourceCommit theirs = (LogCommand.ResourceCommit) codec.decode(encoded.bytes());
        assertEquals(theirs.requestId(), mine.requestId());
        assertEquals(theirs.commit().replication(), mine.commit().replication());
        assertEquals(Instant.parse("2026-12-07T16:20:30.123Z"), mine.commit().replication().at(),
                "the time as the log carries it, to the millisecond");
        assertEquals(theirs.commit().writes().size(), mine.commit().writes().size());
        for (int i = 0; i < theirs.commit().writes().size(); i++) {
            Write a = theirs.commit().writes().get(i);
            Write b = mine.commit().writes().get(i);
            assertEquals(a.method(), b.method());
            assertEquals(a.type(), b.type());
            assertEquals(a.id(), b.id());
            assertEquals(a.expectation(), b.expectation());
            if (a.body() == null) {
                assertNull(b.body());
            } else {
                assertArrayEquals(a.body().template().orElseThrow(), b.body().template().orElseThrow());
                assertArrayEquals(a.body().stamp(3, Instant.EPOCH), b.body().stamp(3, Instant.EPOCH));
            }
            List<KvEntry> ea = a.derived().entries(5, Instant.EPOCH);
            List<KvEntry> eb = b.derived().entries(5, Instant.EPOCH);
            assertEquals(ea.size(), eb.size());
            for (int e = 0; e < ea.size(); e++) {
                assertEquals(ea.get(e).keyspace(), eb.get(e).keyspace());
                assertArrayEquals(ea.get(e).key(), eb.get(e).key());
                assertArrayEquals(ea.get(e).value(), eb.get(e).value());
            }
        }
    }

    @Test
    void theBytesAreTheLogsFormatAndNameTheirRequest() {
        LogCommand.ResourceCommit command = command();
        byte[] bytes = codec.encodeResourceCommit(command, false).bytes();
        assertArrayEquals(bytes, codec.encode(command));
        assertEquals("nöde-1@ks/42", LogCodec.requestIdOf(bytes));
        assertNull(LogCodec.requestIdOf(codec.encode(new LogCommand.Addressed(new byte[] {1}, bytes))),
                "an addressed record is not itself a resource command");
        assertNull(LogCodec.requestIdOf(codec.encode(new LogCommand.KvChange("kv-1", List.of(), new KvBatch()))));
        assertNull(LogCodec.requestIdOf(new byte[] {9, 1, 0, 0}), "an unknown format");
    }
}
