package dev.fhirbolt.database;

import java.time.Instant;
import java.util.Set;

/**
 * How a commit taken from the cluster's transaction log is applied, so that every node reaches the same state: the
 * time its writer fixed for it, its position in the log, and, for a commit planned from what its writer read (a
 * conditional interaction, a transaction), the transaction its writer had seen and the resource types it read. Such a
 * commit is refused with {@link StalePlanException} on every node alike when one of those types changed after that
 * transaction, and its writer plans it again.
 */
public record Replication(long position, Instant at, long baseT, Set<String> readTypes) {

    /** {@code baseT} for a commit that read nothing before it was planned. */
    public static final long UNPLANNED = -1;

    public Replication {
        readTypes = Set.copyOf(readTypes);
    }

    public boolean planned() {
        return baseT != UNPLANNED;
    }

    /** This replication, taken from the log at {@code logPosition}. */
    public Replication atPosition(long logPosition) {
        return new Replication(logPosition, at, baseT, readTypes);
    }
}
