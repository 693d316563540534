package dev.fhirbolt.app;

import dev.fhirbolt.authz.SecurityMode;
import dev.fhirbolt.bulk.ExportClaims;
import dev.fhirbolt.bulk.ExportFiles;
import dev.fhirbolt.bulk.ExportJobStore;
import dev.fhirbolt.bulk.ExportLeases;
import dev.fhirbolt.bulk.ExportService;
import dev.fhirbolt.bulk.ExportSettings;
import dev.fhirbolt.bulk.LocalExportFiles;
import dev.fhirbolt.bulk.SharedExportFiles;
import dev.fhirbolt.storage.ConditionalKvStore;
import java.time.Clock;
import java.time.Duration;

/**
 * Bulk export on one server (jobs and files in its data directory) or on a node of a cluster (jobs in the replicated
 * store, files in the content store, a job taken over when the node running it stops renewing its claim).
 */
final class ExportWiring {

    /** How long a job's claim may go unrenewed before another node takes the job over (renewed every 5 s). */
    static final Duration TAKE_OVER_AFTER = Duration.ofSeconds(60);

    private ExportWiring() {
    }

    static ExportService open(Backend backend, ServerConfig config) {
        ExportSettings settings = new ExportSettings(config.dataDir().resolve("exports"), config.exportRetention(),
                config.exportsPerClient(), 1, config.security() == SecurityMode.SMART);
        if (backend.cluster().isEmpty()) {
            return new ExportService(backend.store(), new ExportJobStore(backend.kv()),
                    ExportSources.from(backend.search()), settings, Clock.systemUTC());
        }
        ConditionalKvStore shared = backend.cluster().get().replicated(backend.kv());
        ExportFiles files = backend.contents().<ExportFiles>map(c -> new SharedExportFiles(settings.directory(), c))
                .orElseGet(() -> new LocalExportFiles(settings.directory()));
        ExportClaims claims = new ExportLeases(shared, config.cluster().get().nodeId(), TAKE_OVER_AFTER,
                System::nanoTime);
        return new ExportService(backend.store(), new ExportJobStore(shared), ExportSources.from(backend.search()),
                settings, files, claims, Clock.systemUTC());
    }
}
