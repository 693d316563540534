package dev.fhirbolt.database;

import java.time.Instant;

/**
 * Where the contents of versions stored as a reference come from (a cluster node keeps resource contents in a shared
 * content store and only a reference to them in its own store; see {@link VersionedBody#reference()}).
 */
@FunctionalInterface
public interface ContentSource {

    /**
     * The JSON of the version stored with {@code reference}, stamped with {@code version} and {@code lastUpdated}
     * exactly as it was when it was written. Fails with a 503 {@link dev.fhirbolt.common.FhirException} when the
     * contents cannot be had now.
     */
    byte[] resolve(byte[] reference, long version, Instant lastUpdated);

    /** For a store without references (a single server): finding one means the data belongs to a cluster node. */
    ContentSource NONE = (reference, version, lastUpdated) -> {
        throw new dev.fhirbolt.common.FhirException(503, dev.fhirbolt.common.IssueType.TRANSIENT, "this data"
                + " directory keeps resource contents in a cluster's content store, and this server has none"
                + " configured (set cassandra-contact-points)");
    };
}
