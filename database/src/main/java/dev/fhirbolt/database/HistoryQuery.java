package dev.fhirbolt.database;

import java.time.Instant;
import java.util.Optional;

/**
 * A history request at system (type and id empty), type (id empty) or instance level. {@code since} keeps versions
 * last updated at or after it; {@code atStart}/{@code atEnd} keep versions that were current at some point of that
 * range. {@code before} is the paging cursor: only entries older than it (exclusive) are returned.
 */
public record HistoryQuery(Optional<String> type, Optional<String> id, Optional<Instant> since,
        Optional<Instant> atStart, Optional<Instant> atEnd, Optional<HistoryCursor> before, int count) {
}
