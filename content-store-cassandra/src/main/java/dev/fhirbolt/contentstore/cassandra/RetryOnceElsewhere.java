package dev.fhirbolt.contentstore.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.retry.RetryDecision;
import com.datastax.oss.driver.api.core.retry.RetryPolicy;
import com.datastax.oss.driver.api.core.servererrors.CoordinatorException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import com.datastax.oss.driver.api.core.session.Request;

/**
 * The store's statements are idempotent (a key names one immutable value), so a request that timed out, found too
 * few replicas alive or lost its connection is tried once more on the next node, within the same request timeout.
 * This covers the seconds after a node dies, before the coordinators have noticed: a coordinator that picked the dead
 * replica times out, the next one picks the live ones. The driver only consults this for write timeouts, aborted
 * requests and error responses of idempotent statements, so schema changes are never repeated.
 */
@SuppressWarnings("deprecation") // the RetryDecision methods are the ones a policy must implement in driver 4.x
public final class RetryOnceElsewhere implements RetryPolicy {

    public RetryOnceElsewhere(DriverContext context, String profile) {
        // nothing to configure
    }

    private static RetryDecision onceElsewhere(int retryCount) {
        return retryCount == 0 ? RetryDecision.RETRY_NEXT : RetryDecision.RETHROW;
    }

    @Override
    public RetryDecision onReadTimeout(Request request, ConsistencyLevel consistency, int blockFor, int received,
            boolean dataPresent, int retryCount) {
        return onceElsewhere(retryCount);
    }

    @Override
    public RetryDecision onWriteTimeout(Request request, ConsistencyLevel consistency, WriteType writeType,
            int blockFor, int received, int retryCount) {
        return onceElsewhere(retryCount);
    }

    @Override
    public RetryDecision onUnavailable(Request request, ConsistencyLevel consistency, int required, int alive,
            int retryCount) {
        return onceElsewhere(retryCount);
    }

    @Override
    public RetryDecision onRequestAborted(Request request, Throwable error, int retryCount) {
        return onceElsewhere(retryCount);
    }

    @Override
    public RetryDecision onErrorResponse(Request request, CoordinatorException error, int retryCount) {
        return onceElsewhere(retryCount);
    }

    @Override
    public void close() {
        // nothing held
    }
}
