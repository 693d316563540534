package dev.fhirbolt.database;

import java.util.List;
import java.util.Optional;

/** Versions newest first, and the cursor of the next (older) page when there is one. */
public record HistoryPage(List<ResourceVersion> versions, Optional<HistoryCursor> next) {
}
