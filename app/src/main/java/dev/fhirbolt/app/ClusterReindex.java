package dev.fhirbolt.app;

import dev.fhirbolt.search.reindex.ReindexJob;
import dev.fhirbolt.search.reindex.ReindexService;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvBatch;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.Keyspace;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code $reindex} in a cluster: a job a client requests on one node is written to the replicated store
 * ({@code cluster-reindex}: job id → types and reason), and every node, looking there every second, queues the same
 * job under the same id on its own store. Each node re-derives its own index entries from the same resource versions
 * with the same search parameters, so the nodes' indexes end alike, and {@code GET $reindex?_jobId=} answers on any
 * node (with that node's progress). Reindexing after a SearchParameter change needs none of this: every node applies
 * the SearchParameter from the log and queues that job itself, under an id made of the parameter's id and version.
 */
final class ClusterReindex implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterReindex.class);
    static final Keyspace REQUESTS = new Keyspace("cluster-reindex");

    private final KvStore replicated;
    private final ReindexService reindex;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("fhirbolt-cluster-reindex").daemon(true).factory());

    ClusterReindex(KvStore replicated, ReindexService reindex) {
        this.replicated = replicated;
        this.reindex = reindex;
        reindex.announceRequests(this::announce);
        poller.scheduleWithFixedDelay(this::pollQuietly, 1, 1, TimeUnit.SECONDS);
    }

    static List<Keyspace> keyspaces() {
        return List.of(REQUESTS);
    }

    private void announce(ReindexJob job) {
        queued.add(job.id());
        replicated.write(new KvBatch().put(REQUESTS, Bytes.utf8(job.id()), encode(job.types(), job.reason())), true);
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("could not look for reindex requests of other nodes: {}", e.getMessage());
        }
    }

    /** Queues here every requested job this node has not queued yet. */
    void poll() {
        try (KvSnapshot s = replicated.snapshot(); KvCursor c = s.cursor(REQUESTS)) {
            for (c.seekToFirst(); c.isValid(); c.next()) {
                String id = Bytes.utf8(c.key(), 0, c.key().length);
                if (queued.add(id)) {
                    Request r = decode(c.value());
                    reindex.submit(id, r.types(), r.reason());
                }
            }
        }
    }

    private record Request(List<String> types, String reason) {
    }

    private static byte[] encode(List<String> types, String reason) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(types.size());
            for (String t : types) {
                out.writeUTF(t);
            }
            out.writeUTF(reason);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Request decode(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            int n = in.readInt();
            List<String> types = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                types.add(in.readUTF());
            }
            return new Request(types, in.readUTF());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
