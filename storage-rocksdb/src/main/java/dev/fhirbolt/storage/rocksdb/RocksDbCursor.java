package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvCursor;
import org.rocksdb.RocksIterator;

final class RocksDbCursor implements KvCursor {

    private final RocksIterator iterator;

    RocksDbCursor(RocksIterator iterator) {
        this.iterator = iterator;
    }

    @Override
    public void seek(byte[] key) {
        iterator.seek(key);
    }

    @Override
    public void seekForPrev(byte[] key) {
        iterator.seekForPrev(key);
    }

    @Override
    public void seekToFirst() {
        iterator.seekToFirst();
    }

    @Override
    public void seekToLast() {
        iterator.seekToLast();
    }

    @Override
    public boolean isValid() {
        return iterator.isValid();
    }

    @Override
    public void next() {
        iterator.next();
    }

    @Override
    public void prev() {
        iterator.prev();
    }

    @Override
    public byte[] key() {
        return iterator.key();
    }

    @Override
    public byte[] value() {
        return iterator.value();
    }

    @Override
    public void close() {
        iterator.close();
    }
}
