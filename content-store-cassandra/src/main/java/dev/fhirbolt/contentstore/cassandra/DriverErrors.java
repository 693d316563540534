package dev.fhirbolt.contentstore.cassandra;

import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what the driver throws into what the content-store contract promises. */
final class DriverErrors {

    private DriverErrors() {
    }

    /**
     * Cassandra being unable to serve now (too few replicas, timeouts, no node reachable, overload) becomes
     * {@link ContentStoreUnavailableException}; a query Cassandra rejects as invalid is a bug and stays what it is.
     */
    static RuntimeException translate(String operation, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ContentStoreUnavailableException unavailable) {
            return unavailable;
        }
        if (cause instanceof DriverException && !(cause instanceof QueryValidationException)) {
            return new ContentStoreUnavailableException("Cassandra could not " + operation + ": " + cause.getMessage(), cause);
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }
}
