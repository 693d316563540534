package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /metrics} over HTTP on a secured server: admin only, and valid Prometheus text with our meters. */
class MetricsTest {

    static FhirboltServer server;
    static Smart smart;

    @BeforeAll
    static void start() throws Exception {
        server = FhirboltServer.start(ConfigLoader.load(Optional.empty(), Map.of(), Map.of("port", "0", "data-dir",
                Files.createTempDirectory("fhirbolt-metrics").toString(), "security", "smart", "admin-password",
                "metrics-secret", "demo-setup", "false", "audit", "off")));
        smart = new Smart("http://localhost:" + server.port(), "metrics-secret");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void onlyTheAdminMayScrape() throws Exception {
        Smart.Res anonymous = smart.get(null, "/metrics");
        assertEquals(401, anonymous.status());
        assertTrue(anonymous.header("WWW-Authenticate").startsWith("Basic"));
        KeyPair key = smart.registerBackend("scraper", "system/*.rs");
        String token = smart.backendToken("scraper", key, "system/*.rs");
        assertEquals(401, smart.get(token, "/metrics").status(), "a FHIR token is not an admin credential");
    }

    @Test
    void scrapeIsPrometheusTextWithRequestCommitAndJvmMeters() throws Exception {
        KeyPair key = smart.registerBackend("writer", "system/*.cruds");
        String token = smart.backendToken("writer", key, "system/*.cruds");
        for (int i = 0; i < 3; i++) {
            Smart.Res created = smart.fhir(token, "POST", "/Patient", "{\"resourceType\":\"Patient\",\"active\":true}");
            assertEquals(201, created.status(), created.body());
        }
        assertEquals(404, smart.get(token, "/Patient/nobody").status());
        assertEquals(200, smart.get(token, "/Patient?active=true").status());

        Smart.Res scraped = smart.admin("GET", "/metrics", null);
        assertEquals(200, scraped.status(), scraped.body());
        assertTrue(scraped.header("Content-Type").startsWith("text/plain; version=0.0.4"), scraped.header("Content-Type"));
        PrometheusText text = PrometheusText.parse(scraped.body());

        assertEquals("histogram", text.types.get("fhirbolt_http_requests_seconds"));
        assertEquals(3.0, text.value("fhirbolt_http_requests_seconds_count",
                Map.of("interaction", "create", "type", "Patient", "status", "201")));
        assertEquals(1.0, text.value("fhirbolt_http_requests_seconds_count",
                Map.of("interaction", "read", "type", "Patient", "status", "404")));
        assertFalse(text.find("fhirbolt_http_requests_seconds_bucket", Map.of("interaction", "create", "le", "0.1"))
                .isEmpty(), "latency buckets");

        assertTrue(text.types.containsKey("fhirbolt_commit_queue_depth"));
        assertTrue(text.value("fhirbolt_commit_batch_size_count", Map.of()) >= 1, "commit batches counted");
        assertEquals("histogram", text.types.get("fhirbolt_commit_write_seconds"));
        assertTrue(text.value("fhirbolt_commit_write_seconds_count", Map.of()) >= 1);

        assertFalse(text.find("jvm_memory_used_bytes", Map.of()).isEmpty(), "JVM memory");
        assertFalse(text.find("jvm_threads_live_threads", Map.of()).isEmpty(), "JVM threads");

        assertTrue(text.value("fhirbolt_storage_block_cache_hits_total", Map.of("engine", "rocksdb"))
                + text.value("fhirbolt_storage_block_cache_misses_total", Map.of("engine", "rocksdb")) >= 0);
        assertTrue(text.value("fhirbolt_storage_memtable_bytes", Map.of("engine", "rocksdb")) > 0,
                () -> "memtables: " + scraped.body().lines().filter(l -> l.contains("storage")).toList());
        assertTrue(text.types.containsKey("fhirbolt_storage_running_compactions"));
        assertTrue(text.value("fhirbolt_search_seconds_count", Map.of()) >= 1, "searches timed");
        assertTrue(text.value("fhirbolt_search_matches_returned_sum", Map.of()) >= 3, "matches returned");
        assertTrue(text.value("fhirbolt_search_index_entries_read_sum", Map.of()) >= 3, "index entries read");
        assertTrue(text.value("fhirbolt_auth_events_total",
                Map.of("action", "token-issued", "outcome", "success")) >= 1, "the token issued above");
    }
}
