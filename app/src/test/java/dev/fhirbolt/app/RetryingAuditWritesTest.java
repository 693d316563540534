package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An audit batch the log refuses for a moment is written once it takes it; a lasting refusal fails in time. */
class RetryingAuditWritesTest {

    private static final Keyspace SPACE = new Keyspace("audit-event");

    @TempDir
    Path dir;

    /** A real store in front of which the "log" refuses the first {@code refusals} writes with 503, or a 400. */
    private record Refusing(KvStore inner, AtomicInteger refusals, int status) implements KvStore {
        @Override
        public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
            return inner.get(keyspace, key);
        }

        @Override
        public KvSnapshot snapshot() {
            return inner.snapshot();
        }

        @Override
        public java.util.Map<String, Long> statistics() {
            return inner.statistics();
        }

        @Override
        public void checkpoint(java.nio.file.Path target) {
            inner.checkpoint(target);
        }

        @Override
        public void write(KvBatch batch, boolean durable) {
            if (refusals.getAndDecrement() > 0) {
                throw new FhirException(status, IssueType.TRANSIENT, "the log did not confirm the change");
            }
            inner.write(batch, durable);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aBriefRefusalIsWaitedOutAndALastingOneFails() {
        try (KvStore kv = new RocksDbEngine(dir.resolve("db"), 8L << 20).open(List.of(SPACE))) {
            new RetryingAuditWrites(new Refusing(kv, new AtomicInteger(1), 503), Duration.ofSeconds(10))
                    .write(new KvBatch().put(SPACE, Bytes.utf8("k"), Bytes.utf8("v")), true);
            assertArrayEquals(Bytes.utf8("v"), kv.get(SPACE, Bytes.utf8("k")).orElseThrow());

            long start = System.nanoTime();
            FhirException lasting = assertThrows(FhirException.class, () -> new RetryingAuditWrites(
                    new Refusing(kv, new AtomicInteger(100), 503), Duration.ofMillis(1_500))
                    .write(new KvBatch().put(SPACE, Bytes.utf8("x"), Bytes.utf8("y")), true));
            assertEquals(503, lasting.status());
            assertEquals(true, System.nanoTime() - start < Duration.ofSeconds(3).toNanos(), "gave up in time");

            FhirException refused = assertThrows(FhirException.class, () -> new RetryingAuditWrites(
                    new Refusing(kv, new AtomicInteger(1), 400), Duration.ofSeconds(10))
                    .write(new KvBatch().put(SPACE, Bytes.utf8("x"), Bytes.utf8("y")), true));
            assertEquals(400, refused.status(), "only the log's unavailability is waited out");
        }
    }
}
