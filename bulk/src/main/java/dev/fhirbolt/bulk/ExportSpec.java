package dev.fhirbolt.bulk;

import java.util.List;
import java.util.Map;

/**
 * What an export asks for, as validated at kick-off. {@code types} empty means every type the level allows;
 * {@code typeFilters} maps a type to its search queries (OR-ed); {@code patients} restricts patient-level exports.
 * Plain fields (no Optionals) because jobs are persisted as JSON.
 */
public record ExportSpec(Level level, String groupId, List<String> types, Long sinceMillis,
        Map<String, List<String>> typeFilters, List<String> patients, String requestUrl) {

    public enum Level {
        SYSTEM,
        PATIENT,
        GROUP
    }
}
