package dev.fhirbolt.database;

/** What became of one {@link Write}: the version it produced, or the unchanged state for a no-op delete. */
public record WriteOutcome(Write write, ResourceVersion version, Kind kind) {

    public enum Kind {
        CREATED,
        UPDATED,
        DELETED,
        /** A delete of something absent or already deleted: nothing was written. */
        NOTHING_TO_DELETE
    }
}
