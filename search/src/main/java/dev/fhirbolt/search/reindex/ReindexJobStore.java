package dev.fhirbolt.search.reindex;

import dev.fhirbolt.search.SearchKeyspaces;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reindex jobs in the search-reindex keyspace ({@code job/<id>}), and the format of the index keys the data was
 * written with ({@code index-format}).
 */
final class ReindexJobStore {

    private static final byte[] JOB_PREFIX = Bytes.utf8("job/");
    private static final byte[] FORMAT = Bytes.utf8("index-format");

    private final KvStore kv;

    ReindexJobStore(KvStore kv) {
        this.kv = kv;
    }

    void save(ReindexJob job) {
        kv.write(new KvBatch().put(SearchKeyspaces.REINDEX, key(job.id()), job.encode()), true);
    }

    /** Saves a job and the index format it brings the data to, in one write. */
    void saveWithFormat(ReindexJob job, int format) {
        kv.write(new KvBatch().put(SearchKeyspaces.REINDEX, key(job.id()), job.encode())
                .put(SearchKeyspaces.REINDEX, FORMAT, ByteBuffer.allocate(4).putInt(format).array()), true);
    }

    void saveFormat(int format) {
        kv.write(new KvBatch().put(SearchKeyspaces.REINDEX, FORMAT, ByteBuffer.allocate(4).putInt(format).array()),
                true);
    }

    /** The index format recorded, or 0 when none was (data written before formats were recorded: format 1). */
    int format() {
        return kv.get(SearchKeyspaces.REINDEX, FORMAT).map(v -> ByteBuffer.wrap(v).getInt()).orElse(0);
    }

    Optional<ReindexJob> find(String id) {
        return kv.get(SearchKeyspaces.REINDEX, key(id)).map(ReindexJob::decode);
    }

    /** Every job, oldest first. */
    List<ReindexJob> all() {
        List<ReindexJob> jobs = new ArrayList<>();
        try (KvSnapshot s = kv.snapshot(); KvCursor c = s.cursor(SearchKeyspaces.REINDEX)) {
            for (c.seek(JOB_PREFIX); c.isValid() && Bytes.startsWith(c.key(), JOB_PREFIX); c.next()) {
                jobs.add(ReindexJob.decode(c.value()));
            }
        }
        jobs.sort(java.util.Comparator.comparingLong(ReindexJob::createdMillis).thenComparing(ReindexJob::id));
        return jobs;
    }

    private static byte[] key(String id) {
        return Bytes.utf8("job/" + id);
    }
}
