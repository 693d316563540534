package dev.fhirbolt.contentstore;

/** The content store cannot serve now (too few replicas, a timeout); the operation may succeed later. */
public final class ContentStoreUnavailableException extends RuntimeException {

    public ContentStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
