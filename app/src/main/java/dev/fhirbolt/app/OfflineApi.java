package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.storage.rocksdb.RocksDbEngine;

/**
 * The FHIR API straight on a data directory, without HTTP: what {@code fhirbolt load --data-dir} uses while the
 * server is stopped. Same storage and wiring as the server, without the bulk export operations.
 */
public final class OfflineApi implements AutoCloseable {

    private final Backend backend;
    private final FhirApi api;

    private OfflineApi(Backend backend, FhirApi api) {
        this.backend = backend;
        this.api = api;
    }

    /**
     * Opens the data directory for a bulk load ({@link RocksDbEngine.Mode#BULK_LOAD}): the writes are durable once
     * {@link #close()} has returned, and a crash before leaves the data directory as of RocksDB's last flush. A
     * directory in use by a running server is a {@link DataDirLockedException}.
     */
    public static OfflineApi open(ServerConfig config) {
        Backend backend;
        try {
            backend = Backend.open(config, RocksDbEngine.Mode.BULK_LOAD);
        } catch (Backend.DataDirLockedException e) {
            throw new DataDirLockedException(e.getMessage());
        }
        return new OfflineApi(backend, FhirApiAssembly.assemble(backend, null, config));
    }

    public FhirApi api() {
        return api;
    }

    public ResourceStore store() {
        return backend.store();
    }

    /** Finishes pending commits and flushes; a failed flush is a {@code StorageException}: writes were lost. */
    @Override
    public void close() {
        backend.close();
    }

    /** The data directory is locked by another process. */
    public static final class DataDirLockedException extends RuntimeException {
        public DataDirLockedException(String message) {
            super(message);
        }
    }
}
