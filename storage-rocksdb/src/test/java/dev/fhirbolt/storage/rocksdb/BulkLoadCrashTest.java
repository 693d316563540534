package dev.fhirbolt.storage.rocksdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 during a bulk load: without a write-ahead log the unflushed batches are lost, but RocksDB's atomic flush
 * leaves a prefix of the batches, each whole in every keyspace it wrote to, and a database that opens for serving.
 */
class BulkLoadCrashTest {

    private static final Keyspace BIG = new Keyspace("crash-big");
    private static final Keyspace SMALL = new Keyspace("crash-small");
    /** Batches of 256 KB: a 128 MB memtable fills after 512 of them. */
    private static final int VALUE_BYTES = 256 * 1024;
    private static final int KILL_AFTER = 1500;

    @TempDir
    Path dir;

    /** The process that is killed: writes batch i to both keyspaces, for ever, and says how far it got. */
    public static void main(String[] args) {
        try (KvStore store = new RocksDbEngine(Path.of(args[0]), 8 << 20, RocksDbEngine.Mode.BULK_LOAD)
                .open(List.of(BIG, SMALL))) {
            byte[] value = new byte[VALUE_BYTES];
            for (int i = 0; ; i++) {
                ByteBuffer.wrap(value).putInt(i);
                store.write(new KvBatch().put(BIG, key(i), value.clone()).put(SMALL, key(i), key(i)), true);
                if (i % 100 == 0) {
                    System.out.println("written " + i);
                    System.out.flush();
                }
            }
        }
    }

    @Test
    void killDashNineLeavesAPrefixOfWholeBatches() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BulkLoadCrashTest.class.getName(), dir.toString())).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            StringBuilder output = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.equals("written " + KILL_AFTER)) {
                output.append(line).append('\n');
            }
            assertTrue(line != null, "the writer stopped early:\n" + output);
        } finally {
            // it writes for ever: never leave it running, whatever failed above
            process.destroyForcibly();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }

        TreeSet<Integer> big = new TreeSet<>();
        TreeSet<Integer> small = new TreeSet<>();
        try (KvStore store = new RocksDbEngine(dir, 8 << 20).open(List.of(BIG, SMALL));
                KvSnapshot snapshot = store.snapshot()) {
            collect(snapshot, BIG, big);
            collect(snapshot, SMALL, small);
        }
        assertEquals(big, small, "every batch whole in both keyspaces");
        assertTrue(big.size() > 0, "at least one flush before batch " + KILL_AFTER);
        assertEquals(big.size() - 1, big.last(), "batches 0.." + big.last() + " without a gap");
    }

    private static void collect(KvSnapshot snapshot, Keyspace keyspace, TreeSet<Integer> into) {
        try (KvCursor c = snapshot.cursor(keyspace)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                into.add(ByteBuffer.wrap(c.key()).getInt());
            }
        }
    }

    private static byte[] key(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }
}
