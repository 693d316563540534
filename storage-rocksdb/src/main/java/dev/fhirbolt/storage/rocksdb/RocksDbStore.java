package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.StorageException;
import dev.fhirbolt.storage.StorageFullException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KvStore} on RocksDB. Serving, durable writes go through the write-ahead log with fsync, so an acknowledged
 * batch survives {@code kill -9}; RocksDB's own write grouping lets concurrent durable writers share an fsync. In
 * {@link RocksDbEngine.Mode#BULK_LOAD} nothing goes to the log and everything becomes durable at {@link #close()}.
 */
final class RocksDbStore implements KvStore {

    private static final Logger LOG = LoggerFactory.getLogger(RocksDbStore.class);

    static {
        RocksDB.loadLibrary();
    }

    /** Batches up to this size are handed to RocksDB serialized, in one call. */
    static final long MAX_SERIALIZED_BYTES = 64L * 1024 * 1024;

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final LRUCache blockCache;
    private final Map<String, ColumnFamilyHandle> handles;
    /** Column family ids by keyspace name; {@code ColumnFamilyHandle.getID} is a JNI call. */
    private final Map<String, Integer> ids;
    private final List<ColumnFamilyHandle> allHandles;
    private final RocksDbEngine.Mode mode;
    private final WriteOptions durableWrite;
    private final WriteOptions bufferedWrite;
    private final DiskSpace diskSpace;
    /** RocksDB statistics for the metrics (block cache hits and misses, compaction and flush bytes): a few counter
     * increments and clock reads per operation, well under 1% of a read request; no timers inside mutexes. */
    private final org.rocksdb.Statistics statistics;

    private RocksDbStore(RocksDB db, DBOptions dbOptions, ColumnFamilyOptions cfOptions, LRUCache blockCache,
            List<ColumnFamilyHandle> allHandles, RocksDbEngine.Mode mode, DiskSpace diskSpace,
            org.rocksdb.Statistics statistics) {
        this.mode = mode;
        this.statistics = statistics;
        this.diskSpace = diskSpace;
        boolean bulk = mode == RocksDbEngine.Mode.BULK_LOAD;
        this.durableWrite = bulk ? new WriteOptions().setDisableWAL(true) : new WriteOptions().setSync(true);
        this.bufferedWrite = bulk ? new WriteOptions().setDisableWAL(true) : new WriteOptions();
        this.db = db;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.blockCache = blockCache;
        this.allHandles = allHandles;
        this.handles = new HashMap<>();
        this.ids = new HashMap<>();
        for (ColumnFamilyHandle handle : allHandles) {
            try {
                String name = new String(handle.getName(), StandardCharsets.UTF_8);
                handles.put(name, handle);
                ids.put(name, handle.getID());
            } catch (RocksDBException e) {
                throw new StorageException("cannot read column family name", e);
            }
        }
    }

    static final long MAX_TOTAL_WAL_BYTES = 256L * 1024 * 1024;

    /**
     * A bulk load's memtables: fewer, larger flushes mean fewer level-0 files to compact. Native memory outside the
     * Java heap, for each keyspace being written (and once more for a memtable being flushed).
     */
    static final long BULK_LOAD_WRITE_BUFFER_BYTES = 128L * 1024 * 1024;

    static RocksDbStore open(Path directory, Collection<Keyspace> keyspaces, long blockCacheBytes,
            RocksDbEngine.Mode mode, long minFreeBytes) {
        boolean bulk = mode == RocksDbEngine.Mode.BULK_LOAD;
        try {
            Files.createDirectories(directory);
            LRUCache cache = new LRUCache(blockCacheBytes);
            // Index and filter blocks are partitioned: a point lookup or seek loads only the small partitions it
            // needs into the block cache, not a whole SST file's index and filter. Without this, a data set larger
            // than the cache made every random lookup (search filters checking candidates) reload megabytes of
            // index and filter blocks.
            BlockBasedTableConfig table = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(new BloomFilter(10, false))
                    .setBlockSize(16 * 1024)
                    .setIndexType(org.rocksdb.IndexType.kTwoLevelIndexSearch)
                    .setPartitionFilters(true)
                    .setMetadataBlockSize(4 * 1024)
                    .setCacheIndexAndFilterBlocks(true)
                    .setCacheIndexAndFilterBlocksWithHighPriority(true)
                    .setPinTopLevelIndexAndFilter(true)
                    .setPinL0FilterAndIndexBlocksInCache(true);
            ColumnFamilyOptions cfOptions = new ColumnFamilyOptions()
                    .setTableFormatConfig(table)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                    .setWriteBufferSize(bulk ? BULK_LOAD_WRITE_BUFFER_BYTES : 32L * 1024 * 1024)
                    .setLevelCompactionDynamicLevelBytes(true);
            org.rocksdb.Statistics statistics = new org.rocksdb.Statistics();
            statistics.setStatsLevel(org.rocksdb.StatsLevel.EXCEPT_DETAILED_TIMERS);
            DBOptions dbOptions = new DBOptions()
                    .setStatistics(statistics)
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2)
                    // pipelining overlaps the write-ahead log with memtable inserts; a bulk load has no log
                    .setEnablePipelinedWrite(!bulk)
                    // without a log, only flushing every column family at the same point keeps them consistent
                    .setAtomicFlush(bulk)
                    // A write-ahead log file is deleted only when every column family with data in it has been
                    // flushed, and keyspaces written a little at a time (database-meta on every commit, auth, audit)
                    // rarely fill a memtable: left to RocksDB's default (four times all the write buffers, about
                    // 6.6 GB here) a running server kept 2.3 GB of logs after three 100-patient loads. Past this
                    // size RocksDB flushes the keyspaces that hold the oldest log, which bounds the disk it takes and
                    // the replay after a crash.
                    .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES)
                    .setKeepLogFileNum(5);

            var names = new LinkedHashSet<String>();
            names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
            if (Files.exists(directory.resolve("CURRENT"))) {
                try (var options = new org.rocksdb.Options()) {
                    for (byte[] existing : RocksDB.listColumnFamilies(options, directory.toString())) {
                        names.add(new String(existing, StandardCharsets.UTF_8));
                    }
                }
            }
            keyspaces.forEach(k -> names.add(k.name()));
            List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
            for (String name : names) {
                descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
            }
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
            return new RocksDbStore(db, dbOptions, cfOptions, cache, handles, mode,
                    new DiskSpace(directory, minFreeBytes), statistics);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StorageException("cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
        }
    }

    ColumnFamilyHandle handle(Keyspace keyspace) {
        ColumnFamilyHandle handle = handles.get(keyspace.name());
        if (handle == null) {
            throw new IllegalArgumentException("keyspace " + keyspace.name() + " was not declared when opening");
        }
        return handle;
    }

    @Override
    public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
        try {
            return Optional.ofNullable(db.get(handle(keyspace), key));
        } catch (RocksDBException e) {
            throw new StorageException("read failed", e);
        }
    }

    @Override
    public KvSnapshot snapshot() {
        Snapshot snapshot = db.getSnapshot();
        return new RocksDbSnapshot(this, db, snapshot);
    }

    @Override
    public void write(KvBatch batch, boolean durable) {
        if (batch.isEmpty()) {
            return;
        }
        diskSpace.check(batch.approximateBytes());
        try (WriteBatch wb = batch.approximateBytes() <= MAX_SERIALIZED_BYTES ? new WriteBatch(serialize(batch))
                : perChange(batch)) {
            db.write(durable ? durableWrite : bufferedWrite, wb);
        } catch (RocksDBException e) {
            if (DiskSpace.isNoSpace(e)) {
                throw new StorageFullException("the disk holding the database is full: " + e.getMessage()
                        + ". Free disk space; RocksDB resumes writing once it sees free space again", e);
            }
            throw new StorageException("write failed: " + e.getMessage(), e);
        }
    }

    /**
     * The batch in RocksDB's serialized form: one JNI call for the whole batch instead of one per change. It is a
     * copy on the Java heap, so batches above {@link #MAX_SERIALIZED_BYTES} (a huge transaction) go change by change
     * into native memory instead.
     *
     * <p>The changes go in key order within each column family (a stable sort, so changes of one key keep their
     * order, which is all a batch promises): RocksDB inserts each into a skip list starting from where the previous
     * insert ended, and a search index batch in random order spent over half of the commit thread in finding each
     * key's place anew.
     */
    byte[] serialize(KvBatch batch) {
        List<KvBatch.Change> changes = batch.changes();
        int n = changes.size();
        int[] cfOf = new int[n];
        int maxCf = 0;
        long size = 12;
        Keyspace lastKeyspace = null;
        int lastCf = 0;
        for (int i = 0; i < n; i++) {
            KvBatch.Change change = changes.get(i);
            if (change.keyspace() != lastKeyspace) {
                lastKeyspace = change.keyspace();
                lastCf = id(lastKeyspace);
            }
            cfOf[i] = lastCf;
            maxCf = Math.max(maxCf, lastCf);
            size += WriteBatchRep.recordSize(lastCf, change.key(), change.value());
        }
        // grouped by column family with a counting sort (stable), then each group sorted by key (stable too)
        int[] groupStart = new int[maxCf + 2];
        for (int cf : cfOf) {
            groupStart[cf + 1]++;
        }
        for (int cf = 1; cf < groupStart.length; cf++) {
            groupStart[cf] += groupStart[cf - 1];
        }
        KvBatch.Change[] ordered = new KvBatch.Change[n];
        int[] next = groupStart.clone();
        for (int i = 0; i < n; i++) {
            ordered[next[cfOf[i]]++] = changes.get(i);
        }
        WriteBatchRep rep = new WriteBatchRep(Math.toIntExact(size));
        for (int cf = 0; cf <= maxCf; cf++) {
            int from = groupStart[cf];
            int to = groupStart[cf + 1];
            KeyOrder.sort(ordered, from, to);
            for (int i = from; i < to; i++) {
                KvBatch.Change change = ordered[i];
                if (change.isDelete()) {
                    rep.delete(cf, change.key());
                } else {
                    rep.put(cf, change.key(), change.value());
                }
            }
        }
        return rep.toByteArray();
    }

    private int id(Keyspace keyspace) {
        Integer id = ids.get(keyspace.name());
        if (id == null) {
            throw new IllegalArgumentException("keyspace " + keyspace.name() + " was not declared when opening");
        }
        return id;
    }

    private WriteBatch perChange(KvBatch batch) throws RocksDBException {
        WriteBatch wb = new WriteBatch();
        try {
            for (KvBatch.Change change : batch.changes()) {
                if (change.isDelete()) {
                    wb.delete(handle(change.keyspace()), change.key());
                } else {
                    wb.put(handle(change.keyspace()), change.key(), change.value());
                }
            }
            return wb;
        } catch (RocksDBException | RuntimeException e) {
            wb.close();
            throw e;
        }
    }

    /** RocksDB's own figures, summed over the column families, under the engine-neutral names of the contract. */
    @Override
    public java.util.Map<String, Long> statistics() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        property(m, "memtable-bytes", "rocksdb.cur-size-all-mem-tables");
        property(m, "live-data-bytes", "rocksdb.estimate-live-data-size");
        property(m, "sst-files-bytes", "rocksdb.live-sst-files-size");
        property(m, "pending-compaction-bytes", "rocksdb.estimate-pending-compaction-bytes");
        property(m, "running-compactions", "rocksdb.num-running-compactions");
        property(m, "running-flushes", "rocksdb.num-running-flushes");
        property(m, "estimated-keys", "rocksdb.estimate-num-keys");
        m.put("block-cache-bytes", blockCache.getUsage());
        m.put("block-cache-hits", statistics.getTickerCount(org.rocksdb.TickerType.BLOCK_CACHE_HIT));
        m.put("block-cache-misses", statistics.getTickerCount(org.rocksdb.TickerType.BLOCK_CACHE_MISS));
        m.put("compaction-read-bytes", statistics.getTickerCount(org.rocksdb.TickerType.COMPACT_READ_BYTES));
        m.put("compaction-write-bytes", statistics.getTickerCount(org.rocksdb.TickerType.COMPACT_WRITE_BYTES));
        m.put("flush-write-bytes", statistics.getTickerCount(org.rocksdb.TickerType.FLUSH_WRITE_BYTES));
        return m;
    }

    private void property(java.util.Map<String, Long> m, String name, String property) {
        try {
            m.put(name, db.getAggregatedLongProperty(property));
        } catch (RocksDBException e) {
            LOG.debug("RocksDB property {} unavailable", property, e);
        }
    }

    /**
     * RocksDB's checkpoint: the live SST files hard-linked (copied across file systems) and the write-ahead log
     * copied, so the copy holds every write acknowledged before the call.
     */
    @Override
    public void checkpoint(java.nio.file.Path target) {
        try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StorageException("cannot write a checkpoint of the database into " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Flushes every memtable and closes. In a bulk load the flush is what makes the writes durable, so its failure
     * is a {@link StorageException} (after closing): the writes since the last flush are lost.
     */
    @Override
    public void close() {
        StorageException lost = null;
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, allHandles);
            if (mode == RocksDbEngine.Mode.SERVING) {
                db.syncWal();
            }
        } catch (RocksDBException e) {
            if (mode == RocksDbEngine.Mode.SERVING) {
                LOG.warn("flush before close failed; the write-ahead log still holds every acknowledged write", e);
            } else {
                lost = new StorageException("the bulk load's final flush failed; the writes since the last flush"
                        + " are lost: " + e.getMessage(), e);
            }
        }
        allHandles.forEach(ColumnFamilyHandle::close);
        db.close();
        durableWrite.close();
        bufferedWrite.close();
        dbOptions.close();
        statistics.close();
        cfOptions.close();
        blockCache.close();
        if (lost != null) {
            throw lost;
        }
    }

    static final class RocksDbSnapshot implements KvSnapshot {
        private final RocksDbStore store;
        private final RocksDB db;
        private final Snapshot snapshot;
        private final ReadOptions readOptions;

        RocksDbSnapshot(RocksDbStore store, RocksDB db, Snapshot snapshot) {
            this.store = store;
            this.db = db;
            this.snapshot = snapshot;
            this.readOptions = new ReadOptions().setSnapshot(snapshot);
        }

        @Override
        public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
            try {
                return Optional.ofNullable(db.get(store.handle(keyspace), readOptions, key));
            } catch (RocksDBException e) {
                throw new StorageException("read failed", e);
            }
        }

        @Override
        public KvCursor cursor(Keyspace keyspace) {
            return new RocksDbCursor(db.newIterator(store.handle(keyspace), readOptions));
        }

        @Override
        public void close() {
            readOptions.close();
            db.releaseSnapshot(snapshot);
        }
    }
}
