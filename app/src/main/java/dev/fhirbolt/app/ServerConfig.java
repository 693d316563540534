package dev.fhirbolt.app;

import java.nio.file.Path;
import java.util.Optional;

/** Everything the server needs to start; built by {@link ConfigLoader} from defaults, file, environment and flags. */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Optional<String> baseUrl,
        long maxBodyBytes,
        long blockCacheBytes,
        int conditionalDeleteMax,
        Optional<Integer> httpsPort,
        Optional<Path> keystore,
        Optional<String> keystorePassword,
        int maxThreads,
        long shutdownGraceMillis,
        java.time.Duration exportRetention,
        int exportsPerClient,
        int bundleMaxEntries,
        long bundleMaxBytes,
        int searchMaxParameters,
        dev.fhirbolt.authz.SecurityMode security,
        Optional<String> adminPassword,
        boolean demoSetup,
        dev.fhirbolt.authz.UserScopePolicy userScopePolicy,
        java.time.Duration accessTokenLifetime,
        java.util.List<String> corsOrigins,
        boolean audit,
        Optional<Path> auditLogFile,
        Optional<java.time.Duration> auditRetention,
        long minFreeDiskBytes,
        Optional<Long> requestMemoryBytes,
        Optional<ClusterConfig> cluster,
        HttpLimits httpLimits,
        dev.fhirbolt.validation.ValidationPolicy validation,
        boolean referentialIntegrity,
        boolean accessLog,
        Path backupDir,
        boolean subscriptions,
        long terminologyUploadMaxBytes,
        UploadSweep terminologyUploadSweep) {

    /**
     * How abandoned {@code $upload} records are swept: every {@code interval} after the start-up sweep (zero: at
     * start-up only), and which uploads count as abandoned: those whose marker is older than {@code grace}.
     */
    public record UploadSweep(java.time.Duration interval, java.time.Duration grace) {
    }

    /**
     * What one HTTP connection may hold: the time to send the request line and headers, the time a connection may
     * stay silent, the size of the request line and of the headers, and the slowest a request body may arrive.
     */
    public record HttpLimits(long headerTimeoutMillis, long idleTimeoutMillis, int maxHeaderBytes,
            long minBodyBytesPerSecond) {
    }
}
