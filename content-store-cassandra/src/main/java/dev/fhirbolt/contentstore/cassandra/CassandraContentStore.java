package dev.fhirbolt.contentstore.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.fhirbolt.contentstore.ContentStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The content store on Apache Cassandra: one partition per key in the table {@code content} (see {@link ContentTable}),
 * values split into chunks of {@value #CHUNK} bytes. A put writes every chunk but the last, then the last chunk
 * together with the header in one statement (one partition, so atomic), so a reader at the configured consistency
 * never sees part of a value. All statements are prepared, idempotent and run on the driver's asynchronous API.
 */
public final class CassandraContentStore implements ContentStore {

    static final int CHUNK = 512 * 1024;
    /** Chunks of one value written or read at once. */
    static final int CHUNKS_IN_FLIGHT = 4;
    static final int MAX_KEY = 256;

    private final CqlSession session;
    private final PreparedStatement insertChunk;
    private final PreparedStatement insertLast;
    private final PreparedStatement select;
    private final PreparedStatement delete;

    private CassandraContentStore(CqlSession session, String keyspace) {
        this.session = session;
        String table = keyspace + "." + ContentTable.NAME;
        insertChunk = session.prepare("INSERT INTO " + table + " (key, chunk, data) VALUES (?, ?, ?)");
        insertLast = session.prepare("INSERT INTO " + table + " (key, chunk, data, chunks, size) VALUES (?, ?, ?, ?, ?)");
        select = session.prepare("SELECT chunks, size, chunk, data FROM " + table + " WHERE key = ?");
        delete = session.prepare("DELETE FROM " + table + " WHERE key = ?");
    }

    /**
     * Connects, creates the keyspace and table when missing, and prepares the statements.
     *
     * @throws dev.fhirbolt.contentstore.ContentStoreUnavailableException when no node answers within the timeout
     */
    public static CassandraContentStore open(CassandraSettings settings) {
        CqlSession session = null;
        try {
            session = CassandraSessions.open(settings);
            ContentTable.create(session, settings);
            return new CassandraContentStore(session, settings.keyspace());
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            throw DriverErrors.translate("connect to " + settings.contactPoints(), e);
        }
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        ByteBuffer k = keyOf(key);
        Objects.requireNonNull(value, "value");
        int chunks = Math.max(1, (value.length + CHUNK - 1) / CHUNK);
        return guarded("store a value", () -> inRounds(chunks - 1, n ->
                        session.executeAsync(insertChunk.bind(k, n, slice(value, n)).setIdempotent(true)))
                .thenCompose(ignored -> session.executeAsync(insertLast
                        .bind(k, chunks - 1, slice(value, chunks - 1), chunks, (long) value.length)
                        .setIdempotent(true)))
                .thenApply(rs -> null));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        ByteBuffer k = keyOf(key);
        return guarded("read a value", () -> session.executeAsync(select.bind(k)
                        .setPageSize(CHUNKS_IN_FLIGHT).setIdempotent(true))
                .thenCompose(page -> collect(page, new ChunkAssembly())));
    }

    private CompletionStage<Optional<byte[]>> collect(AsyncResultSet page, ChunkAssembly assembly) {
        page.currentPage().forEach(assembly::add);
        if (page.hasMorePages() && !assembly.absent()) {
            return page.fetchNextPage().thenCompose(next -> collect(next, assembly));
        }
        return CompletableFuture.completedFuture(assembly.value());
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key) {
        ByteBuffer k = keyOf(key);
        return guarded("delete a value", () ->
                session.executeAsync(delete.bind(k).setIdempotent(true)).thenApply(rs -> null));
    }

    @Override
    public void close() {
        session.close();
    }

    private static ByteBuffer keyOf(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0 || key.length > MAX_KEY) {
            throw new IllegalArgumentException("a content key is 1 to " + MAX_KEY + " bytes, not " + key.length);
        }
        return ByteBuffer.wrap(key.clone());
    }

    private static ByteBuffer slice(byte[] value, int chunk) {
        int from = chunk * CHUNK;
        return ByteBuffer.wrap(value, from, Math.min(CHUNK, value.length - from)).slice();
    }

    /** Runs {@code write(0 .. count-1)} with at most {@link #CHUNKS_IN_FLIGHT} at a time, round after round. */
    private static CompletableFuture<Void> inRounds(int count, IntFunction<CompletionStage<?>> write) {
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (int start = 0; start < count; start += CHUNKS_IN_FLIGHT) {
            int from = start;
            int to = Math.min(count, start + CHUNKS_IN_FLIGHT);
            done = done.thenCompose(ignored -> {
                List<CompletableFuture<?>> round = new ArrayList<>();
                for (int n = from; n < to; n++) {
                    round.add(write.apply(n).toCompletableFuture());
                }
                return CompletableFuture.allOf(round.toArray(CompletableFuture[]::new));
            });
        }
        return done;
    }

    /** The operation's future, failing with what the contract promises; a synchronous driver failure fails it too. */
    private static <T> CompletableFuture<T> guarded(String operation, Supplier<CompletionStage<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (RuntimeException e) {
            result.completeExceptionally(DriverErrors.translate(operation, e));
            return result;
        }
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(DriverErrors.translate(operation, failure));
            }
        });
        return result;
    }
}
