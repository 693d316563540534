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

    /**
     * What the store keeps instead of the stamped bytes, when this body's contents are kept elsewhere (a cluster
     * node's content store): a reference its store's {@link ContentSource} resolves. Empty: the bytes are stored.
     */
    default java.util.Optional<byte[]> reference() {
        return java.util.Optional.empty();
    }
}
