package dev.fhirbolt.contentstore.lz4;

import dev.fhirbolt.contentstore.ContentStore;
import dev.fhirbolt.contentstore.tck.ContentStoreContract;
import java.time.Duration;

/** The content-store contract through the LZ4 decorator, over a store in memory. */
class Lz4ContentStoreContractTest extends ContentStoreContract {

    private final ContentStore store = new Lz4ContentStore(new MemoryContentStore());

    @Override
    protected ContentStore store() {
        return store;
    }

    @Override
    protected ContentStore unavailableStore() {
        return new Lz4ContentStore(new MemoryContentStore(true));
    }

    @Override
    protected Duration failureDeadline() {
        return Duration.ofSeconds(1);
    }
}
