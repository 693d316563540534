package dev.fhirbolt.storage;

/**
 * The engine refused a write because its disk is full, or too nearly full to take it safely. Nothing of the write
 * was stored; writes succeed again once space is freed (HTTP 507 Insufficient Storage).
 */
public class StorageFullException extends StorageException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
