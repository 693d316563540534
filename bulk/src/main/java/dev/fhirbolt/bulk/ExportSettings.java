package dev.fhirbolt.bulk;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param directory where job files are written (inside the data directory by default)
 * @param retention how long finished jobs and their files are kept
 * @param maxActivePerOwner concurrent unfinished jobs one client may have before kick-offs get 429
 * @param workers jobs run at the same time
 * @param requiresAccessToken what manifests say (true whenever the API is secured)
 */
public record ExportSettings(Path directory, Duration retention, int maxActivePerOwner, int workers,
        boolean requiresAccessToken) {
}
