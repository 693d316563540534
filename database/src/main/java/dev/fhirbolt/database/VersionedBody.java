package dev.fhirbolt.database;

import java.time.Instant;

/**
 * A validated resource waiting for its version: the commit pipeline assigns versionId and lastUpdated and asks for
 * the final bytes. Implementations must be cheap (the pipeline calls them while holding the write order).
 */
@FunctionalInterface
public interface VersionedBody {
    byte[] stamp(long version, Instant lastUpdated);

    /**
     * The body's bytes before stamping, from which the same body can be rebuilt on another node of a cluster; empty
     * for a body that cannot be sent there.
     */
    default java.util.Optional<byte[]> template() {
        return java.util.Optional.empty();
    }
}
