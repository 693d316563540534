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
        long bundleMaxBytes) {

    /** Without bundle limits: the defaults of {@link dev.fhirbolt.rest.bundle.BundleLimits#DEFAULT}. */
    public ServerConfig(String host, int port, Path dataDir, Optional<String> baseUrl, long maxBodyBytes,
            long blockCacheBytes, int conditionalDeleteMax, Optional<Integer> httpsPort, Optional<Path> keystore,
            Optional<String> keystorePassword, int maxThreads, long shutdownGraceMillis,
            java.time.Duration exportRetention, int exportsPerClient) {
        this(host, port, dataDir, baseUrl, maxBodyBytes, blockCacheBytes, conditionalDeleteMax, httpsPort, keystore,
                keystorePassword, maxThreads, shutdownGraceMillis, exportRetention, exportsPerClient,
                dev.fhirbolt.rest.bundle.BundleLimits.DEFAULT.maxEntries(),
                dev.fhirbolt.rest.bundle.BundleLimits.DEFAULT.maxBytes());
    }
}
