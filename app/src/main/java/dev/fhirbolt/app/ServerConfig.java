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
        dev.fhirbolt.authz.SecurityMode security,
        Optional<String> adminPassword,
        boolean demoSetup,
        dev.fhirbolt.authz.UserScopePolicy userScopePolicy,
        java.time.Duration accessTokenLifetime,
        java.util.List<String> corsOrigins,
        boolean audit,
        Optional<Path> auditLogFile,
        Optional<java.time.Duration> auditRetention,
        Optional<ClusterConfig> cluster,
        boolean accessLog) {
}
