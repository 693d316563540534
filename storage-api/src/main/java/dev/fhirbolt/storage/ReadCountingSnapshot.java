package dev.fhirbolt.storage;

import java.util.Optional;

/**
 * A snapshot that counts what is read through it: point reads, cursor seeks and cursor steps. Used by one thread
 * at a time (like the snapshot of one search), so the counts are plain fields.
 */
public final class ReadCountingSnapshot implements KvSnapshot {

    private final KvSnapshot delegate;
    private long gets;
    private long seeks;
    private long steps;

    public ReadCountingSnapshot(KvSnapshot delegate) {
        this.delegate = delegate;
    }

    /** Point reads so far. */
    public long gets() {
        return gets;
    }

    /** Cursor positionings so far (seek, seekForPrev, seekToFirst, seekToLast). */
    public long seeks() {
        return seeks;
    }

    /** Cursor steps so far (next, prev). */
    public long steps() {
        return steps;
    }

    /** Every entry read: point reads, seeks and steps. */
    public long entriesRead() {
        return gets + seeks + steps;
    }

    @Override
    public Optional<byte[]> get(Keyspace keyspace, byte[] key) {
        gets++;
        return delegate.get(keyspace, key);
    }

    @Override
    public KvCursor cursor(Keyspace keyspace) {
        return new CountingCursor(delegate.cursor(keyspace));
    }

    /** Closes the snapshot this one counts for. */
    @Override
    public void close() {
        delegate.close();
    }

    private final class CountingCursor implements KvCursor {
        private final KvCursor c;

        CountingCursor(KvCursor c) {
            this.c = c;
        }

        @Override
        public void seek(byte[] key) {
            seeks++;
            c.seek(key);
        }

        @Override
        public void seekForPrev(byte[] key) {
            seeks++;
            c.seekForPrev(key);
        }

        @Override
        public void seekToFirst() {
            seeks++;
            c.seekToFirst();
        }

        @Override
        public void seekToLast() {
            seeks++;
            c.seekToLast();
        }

        @Override
        public boolean isValid() {
            return c.isValid();
        }

        @Override
        public void next() {
            steps++;
            c.next();
        }

        @Override
        public void prev() {
            steps++;
            c.prev();
        }

        @Override
        public byte[] key() {
            return c.key();
        }

        @Override
        public byte[] value() {
            return c.value();
        }

        @Override
        public void close() {
            c.close();
        }
    }
}
