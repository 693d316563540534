package dev.fhirbolt.txlog;

/** The log cannot take or give records now (too few brokers, a timeout); the operation may succeed later. */
public final class TxLogUnavailableException extends RuntimeException {

    public TxLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
