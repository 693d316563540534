package dev.fhirbolt.storage;

/** The engine failed to read or write; nothing the caller did wrong, so it maps to a 5xx answer. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
