package dev.fhirbolt.contentstore.lz4;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A content store in memory, for the decorator's tests: keeps exactly the bytes it is given; or one that is down. */
final class MemoryContentStore implements ContentStore {

    final Map<ByteBuffer, byte[]> values = new ConcurrentHashMap<>();
    private final boolean down;

    MemoryContentStore() {
        this(false);
    }

    MemoryContentStore(boolean down) {
        this.down = down;
    }

    private static ByteBuffer keyOf(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0 || key.length > 256) {
            throw new IllegalArgumentException("a content key is 1 to 256 bytes, not " + key.length);
        }
        return ByteBuffer.wrap(key.clone());
    }

    private <T> CompletableFuture<T> unlessDown(java.util.function.Supplier<T> work) {
        return down ? CompletableFuture.failedFuture(new ContentStoreUnavailableException("down", null))
                : CompletableFuture.completedFuture(work.get());
    }

    @Override
    public CompletableFuture<Void> put(byte[] key, byte[] value) {
        ByteBuffer k = keyOf(key);
        Objects.requireNonNull(value, "value");
        return unlessDown(() -> {
            values.put(k, value.clone());
            return null;
        });
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key) {
        ByteBuffer k = keyOf(key);
        return unlessDown(() -> Optional.ofNullable(values.get(k)).map(byte[]::clone));
    }

    @Override
    public CompletableFuture<Void> delete(byte[] key) {
        ByteBuffer k = keyOf(key);
        return unlessDown(() -> {
            values.remove(k);
            return null;
        });
    }

    @Override
    public void close() {
    }
}
