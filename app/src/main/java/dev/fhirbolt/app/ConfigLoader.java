package dev.fhirbolt.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Reads settings in increasing priority: built-in defaults, a properties file, environment variables
 * ({@code FHIRBOLT_PORT} for {@code port}, {@code FHIRBOLT_DATA_DIR} for {@code data-dir}), then command-line flags.
 */
public final class ConfigLoader {

    /** Every setting with its default; the names are the config-file keys and the flag names without "--". */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("host", "0.0.0.0");
        DEFAULTS.put("port", "8080");
        DEFAULTS.put("data-dir", "data");
        DEFAULTS.put("base-url", "");
        DEFAULTS.put("max-body-bytes", Long.toString(128L * 1024 * 1024));
        DEFAULTS.put("block-cache-mb", "256");
        DEFAULTS.put("conditional-delete-max", "100");
        DEFAULTS.put("https-port", "");
        DEFAULTS.put("keystore", "");
        DEFAULTS.put("keystore-password", "");
        DEFAULTS.put("max-threads", "200");
        DEFAULTS.put("shutdown-grace-ms", "30000");
        DEFAULTS.put("header-timeout-ms", "10000");
        DEFAULTS.put("idle-timeout-ms", "30000");
        DEFAULTS.put("max-header-bytes", "8192");
        DEFAULTS.put("min-body-bytes-per-second", "1024");
        DEFAULTS.put("export-retention-minutes", "1440");
        DEFAULTS.put("exports-per-client", "2");
        DEFAULTS.put("bundle-max-entries", "50000");
        DEFAULTS.put("bundle-max-bytes", Long.toString(128L * 1024 * 1024));
        DEFAULTS.put("terminology-upload-max-bytes", Long.toString(4L * 1024 * 1024 * 1024));
        DEFAULTS.put("search-max-parameters", "100");
        DEFAULTS.put("security", "smart");
        DEFAULTS.put("admin-password", "");
        DEFAULTS.put("demo-setup", "false");
        DEFAULTS.put("user-scope-policy", "practitioner");
        DEFAULTS.put("access-token-minutes", "60");
        DEFAULTS.put("cors-origins", "");
        DEFAULTS.put("audit", "on");
        DEFAULTS.put("audit-log-file", "");
        DEFAULTS.put("audit-retention-days", "");
        DEFAULTS.put("kafka-bootstrap", "");
        DEFAULTS.put("kafka-topic", "fhirbolt-tx");
        DEFAULTS.put("cassandra-contact-points", "");
        DEFAULTS.put("cassandra-local-dc", "datacenter1");
        DEFAULTS.put("cassandra-keyspace", "fhirbolt");
        DEFAULTS.put("node-id", "");
        DEFAULTS.put("read-consistency", "strong");
        DEFAULTS.put("cluster-apply-timeout-ms", "30000");
        DEFAULTS.put("min-free-disk-mb", "64");
        DEFAULTS.put("request-memory-mb", "");
        DEFAULTS.put("validation", "base");
        DEFAULTS.put("referential-integrity", "on");
        DEFAULTS.put("access-log", "off");
        DEFAULTS.put("backup-dir", "");
        DEFAULTS.put("subscriptions", "on");
        DEFAULTS.put("content-cache-size", "");
        DEFAULTS.put("subscription-takeover-ms", "15000");
        DEFAULTS.put("terminology-sweep-interval-minutes", "60");
        DEFAULTS.put("terminology-sweep-grace-seconds", "900");
    }

    /** Per-type settings: {@code validation.Observation=profiles}. */
    static final String VALIDATION_PREFIX = "validation.";
    /** Per-type settings: {@code validation-profile.Patient=http://example.org/StructureDefinition/my-patient}. */
    static final String PROFILE_PREFIX = "validation-profile.";

    private ConfigLoader() {
    }

    public static ServerConfig load(Optional<Path> configFile, Map<String, String> env, Map<String, String> flags) {
        Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        if (configFile.isPresent()) {
            values.putAll(readFile(configFile.get()));
        }
        for (String key : DEFAULTS.keySet()) {
            String envName = "FHIRBOLT_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
            if (env.containsKey(envName)) {
                values.put(key, env.get(envName));
            }
        }
        flags.forEach((k, v) -> {
            if (v != null) {
                values.put(k, v);
            }
        });
        for (String key : values.keySet()) {
            if (!DEFAULTS.containsKey(key) && !key.startsWith(VALIDATION_PREFIX) && !key.startsWith(PROFILE_PREFIX)) {
                throw new ConfigException("unknown setting '" + key + "'; known settings: "
                        + String.join(", ", DEFAULTS.keySet()));
            }
        }
        return new ServerConfig(
                values.get("host"),
                port(values, "port"),
                Path.of(values.get("data-dir")).toAbsolutePath().normalize(),
                optional(values.get("base-url")).map(ConfigLoader::validBaseUrl),
                positiveLong(values, "max-body-bytes"),
                positiveLong(values, "block-cache-mb") * 1024 * 1024,
                (int) positiveLong(values, "conditional-delete-max"),
                optional(values.get("https-port")).map(v -> port(values, "https-port")),
                optional(values.get("keystore")).map(Path::of),
                optional(values.get("keystore-password")),
                (int) positiveLong(values, "max-threads"),
                positiveLong(values, "shutdown-grace-ms"),
                java.time.Duration.ofMinutes(positiveLong(values, "export-retention-minutes")),
                (int) Math.max(1, positiveLong(values, "exports-per-client")),
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, positiveLong(values, "bundle-max-entries"))),
                Math.max(1, positiveLong(values, "bundle-max-bytes")),
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, positiveLong(values, "search-max-parameters"))),
                security(values.get("security")),
                optional(values.get("admin-password")),
                bool(values, "demo-setup"),
                userPolicy(values.get("user-scope-policy")),
                java.time.Duration.ofMinutes(Math.min(60, Math.max(1, positiveLong(values, "access-token-minutes")))),
                optional(values.get("cors-origins")).map(v -> java.util.Arrays.stream(v.split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList()).orElse(java.util.List.of()),
                onOff(values, "audit"),
                optional(values.get("audit-log-file")).map(Path::of),
                optional(values.get("audit-retention-days")).map(v -> auditRetention(values)),
                positiveLong(values, "min-free-disk-mb") * 1024 * 1024,
                optional(values.get("request-memory-mb")).map(v -> Math.max(1, positiveLong(values,
                        "request-memory-mb")) * 1024 * 1024),
                cluster(values),
                httpLimits(values),
                validation(values),
                onOff(values, "referential-integrity"),
                onOff(values, "access-log"),
                backupDir(values),
                onOff(values, "subscriptions"),
                Math.max(1, positiveLong(values, "terminology-upload-max-bytes")),
                new ServerConfig.UploadSweep(java.time.Duration.ofMinutes(positiveLong(values,
                        "terminology-sweep-interval-minutes")), java.time.Duration.ofSeconds(Math.max(2,
                        positiveLong(values, "terminology-sweep-grace-seconds")))));
    }

    /** Where {@code POST /admin/backups} writes: {@code backup-dir}, or a folder beside the data directory. */
    private static Path backupDir(Map<String, String> values) {
        Path dataDir = Path.of(values.get("data-dir")).toAbsolutePath().normalize();
        return optional(values.get("backup-dir")).map(v -> Path.of(v).toAbsolutePath().normalize())
                .orElseGet(() -> dataDir.resolveSibling(dataDir.getFileName() + "-backups"));
    }

    /** The cluster settings, present when {@code kafka-bootstrap} names the log's brokers. */
    private static Optional<ClusterConfig> cluster(Map<String, String> values) {
        Optional<String> bootstrap = optional(values.get("kafka-bootstrap"));
        if (bootstrap.isEmpty()) {
            return Optional.empty();
        }
        String consistency = values.get("read-consistency").trim().toUpperCase(Locale.ROOT);
        ClusterConfig.ReadConsistency readConsistency;
        try {
            readConsistency = ClusterConfig.ReadConsistency.valueOf(consistency);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("read-consistency must be strong or eventual, got '"
                    + values.get("read-consistency") + "'");
        }
        String nodeId = optional(values.get("node-id")).orElse(values.get("host") + ":" + values.get("port"));
        if (!nodeId.matches("[A-Za-z0-9._:-]{1,64}")) {
            throw new ConfigException("node-id must be 1 to 64 letters, digits or . _ : -, got '" + nodeId + "'");
        }
        return Optional.of(new ClusterConfig(bootstrap.get(), values.get("kafka-topic").trim(),
                optional(values.get("cassandra-contact-points")).map(v -> java.util.Arrays.stream(v.split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList()).orElse(java.util.List.of()),
                values.get("cassandra-local-dc").trim(), values.get("cassandra-keyspace").trim(), nodeId,
                readConsistency, java.time.Duration.ofMillis(Math.max(100,
                        positiveLong(values, "cluster-apply-timeout-ms"))), contentCacheBytes(values),
                java.time.Duration.ofMillis(Math.max(100, positiveLong(values, "subscription-takeover-ms")))));
    }

    /** {@code content-cache-size} in MiB (0: none); by default a quarter of the heap, at most 256 MiB. */
    private static long contentCacheBytes(Map<String, String> values) {
        Optional<String> mib = optional(values.get("content-cache-size"));
        if (mib.isEmpty()) {
            return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
        }
        try {
            long value = Long.parseLong(mib.get().trim());
            if (value >= 0 && value <= 1 << 20) {
                return value << 20;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ConfigException("content-cache-size must be a number of MiB from 0 to 1048576, got '"
                + mib.get() + "'");
    }

    private static ServerConfig.HttpLimits httpLimits(Map<String, String> values) {
        long header = positiveLong(values, "header-timeout-ms");
        long idle = positiveLong(values, "idle-timeout-ms");
        long headerBytes = positiveLong(values, "max-header-bytes");
        if (header < 100 || idle < 100) {
            throw new ConfigException("header-timeout-ms and idle-timeout-ms must be at least 100 (milliseconds)");
        }
        if (headerBytes < 1024 || headerBytes > 1024 * 1024) {
            throw new ConfigException("max-header-bytes must be from 1024 to 1048576, got " + headerBytes);
        }
        return new ServerConfig.HttpLimits(header, idle, (int) headerBytes,
                positiveLong(values, "min-body-bytes-per-second"));
    }

    private static dev.fhirbolt.validation.ValidationPolicy validation(Map<String, String> values) {
        Map<String, dev.fhirbolt.validation.ValidationMode> perType = new java.util.TreeMap<>();
        for (var e : values.entrySet()) {
            if (e.getKey().startsWith(VALIDATION_PREFIX)) {
                String type = e.getKey().substring(VALIDATION_PREFIX.length());
                if (!dev.fhirbolt.fhir.Fhir.isResourceType(type)) {
                    throw new ConfigException("'" + e.getKey() + "' names no R4 resource type; write e.g."
                            + " validation.Observation=profiles");
                }
                perType.put(type, validationMode(e.getKey(), e.getValue()));
            }
        }
        return new dev.fhirbolt.validation.ValidationPolicy(validationMode("validation", values.get("validation")),
                perType, enforcedProfiles(values));
    }

    private static Map<String, java.util.List<String>> enforcedProfiles(Map<String, String> values) {
        Map<String, java.util.List<String>> profiles = new java.util.TreeMap<>();
        for (var e : values.entrySet()) {
            if (e.getKey().startsWith(PROFILE_PREFIX)) {
                String type = e.getKey().substring(PROFILE_PREFIX.length());
                if (!dev.fhirbolt.fhir.Fhir.isResourceType(type)) {
                    throw new ConfigException("'" + e.getKey() + "' names no R4 resource type; write e.g."
                            + " validation-profile.Patient=http://example.org/StructureDefinition/my-patient");
                }
                java.util.List<String> urls = java.util.Arrays.stream(e.getValue().split("[,\\s]+"))
                        .filter(u -> !u.isBlank())
                        .toList();
                if (urls.isEmpty()) {
                    throw new ConfigException(e.getKey() + " must name at least one profile's canonical URL");
                }
                profiles.put(type, urls);
            }
        }
        return profiles;
    }

    private static dev.fhirbolt.validation.ValidationMode validationMode(String key, String value) {
        try {
            return dev.fhirbolt.validation.ValidationMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " must be off, base or profiles, got '" + value + "'");
        }
    }

    private static java.time.Duration auditRetention(Map<String, String> values) {
        long days = positiveLong(values, "audit-retention-days");
        if (days == 0) {
            throw new ConfigException("audit-retention-days must be at least 1 (leave it empty to keep every"
                    + " AuditEvent), got '" + values.get("audit-retention-days") + "'");
        }
        return java.time.Duration.ofDays(days);
    }

    private static dev.fhirbolt.authz.SecurityMode security(String value) {
        try {
            return dev.fhirbolt.authz.SecurityMode.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static dev.fhirbolt.authz.UserScopePolicy userPolicy(String value) {
        try {
            return dev.fhirbolt.authz.UserScopePolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static boolean bool(Map<String, String> values, String key) {
        String v = values.get(key).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key + " must be true or false, got '" + values.get(key) + "'");
        };
    }

    private static boolean onOff(Map<String, String> values, String key) {
        return bool(values, key);
    }

    private static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        properties.forEach((k, v) -> map.put(k.toString().trim(), v.toString().trim()));
        return map;
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static int port(Map<String, String> values, String key) {
        long port = positiveLong(values, key);
        if (port > 65535) {
            throw new ConfigException(key + " must be between 0 and 65535, got " + port);
        }
        return (int) port;
    }

    private static long positiveLong(Map<String, String> values, String key) {
        String value = values.get(key);
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a non-negative whole number, got '" + value + "'");
        }
    }

    private static String validBaseUrl(String url) {
        if (!url.matches("https?://[^\\s?#]+")) {
            throw new ConfigException("base-url must be an absolute http(s) URL without query, got '" + url + "'");
        }
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A setting is wrong; the message says which and how to fix it. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
