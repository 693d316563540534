package dev.fhirbolt.bulk;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Export jobs in the {@code bulk-jobs} keyspace: job id → job as JSON. */
public final class ExportJobStore {

    public static final Keyspace JOBS = new Keyspace("bulk-jobs");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final KvStore kv;

    public ExportJobStore(KvStore kv) {
        this.kv = kv;
    }

    public static List<Keyspace> keyspaces() {
        return List.of(JOBS, ExportLeases.LEASES);
    }

    public void save(ExportJob job) {
        try {
            kv.write(new KvBatch().put(JOBS, Bytes.utf8(job.id()), JSON.writeValueAsBytes(job)), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<ExportJob> find(String id) {
        return kv.get(JOBS, Bytes.utf8(id)).map(ExportJobStore::decode);
    }

    public void delete(String id) {
        kv.write(new KvBatch().delete(JOBS, Bytes.utf8(id)), true);
    }

    public List<ExportJob> all() {
        List<ExportJob> jobs = new ArrayList<>();
        try (KvSnapshot snapshot = kv.snapshot(); KvCursor cursor = snapshot.cursor(JOBS)) {
            for (cursor.seekToFirst(); cursor.isValid(); cursor.next()) {
                jobs.add(decode(cursor.value()));
            }
        }
        return jobs;
    }

    private static ExportJob decode(byte[] json) {
        try {
            return JSON.readValue(json, ExportJob.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
