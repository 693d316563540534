package dev.fhirbolt.database;

import java.time.Instant;

/**
 * One stored version of a resource. {@code json} is exactly what a JSON read returns (meta.versionId and
 * meta.lastUpdated already in place); it is null for a deletion.
 */
public record ResourceVersion(String type, String id, long version, Instant lastUpdated, boolean deleted,
        WriteMethod method, long t, byte[] json) {

    public String versionId() {
        return Long.toString(version);
    }
}
