package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A backup of a running server under writes, restored into a new data directory that a new server starts on. */
class BackupRestoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aBackupTakenDuringWritesRestoresToAServerWithEveryWriteAcknowledgedBeforeIt() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-backup");
        List<String> acknowledged = new CopyOnWriteArrayList<>();
        List<String> beforeBackup;
        Path backup;
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of())) {
            for (int i = 0; i < 20; i++) {
                acknowledged.add(create(server, "before-" + i));
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; writing.get(); i++) {
                    try {
                        acknowledged.add(create(server, "during-" + i));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            Thread.sleep(200);
            beforeBackup = List.copyOf(acknowledged);
            AdminCommandsTest.Run run = AdminCommandsTest.run("backup", "--server", server.base);
            assertEquals(0, run.code(), run.err());
            Matcher m = Pattern.compile("^(/\\S+/fhirbolt-backup-\\S+)\\s+\\(", Pattern.MULTILINE).matcher(run.out());
            assertTrue(m.find(), run.out());
            backup = Path.of(m.group(1));
            assertTrue(backup.startsWith(dir.resolve("data-backups")), backup + " is beside the data directory");
            Thread.sleep(200);
            writing.set(false);
            writer.join();

            JsonNode list = JSON.readTree(server.get("/admin/backups").body());
            assertEquals(backup.toString(), list.path("backups").path(0).path("backup").asText());
        }
        assertTrue(acknowledged.size() > beforeBackup.size(), "writes went on while the backup was taken");

        Path restored = dir.resolve("restored");
        AdminCommandsTest.Run restore = AdminCommandsTest.run("restore", backup.toString(), "--data-dir",
                restored.toString());
        assertEquals(0, restore.code(), restore.err());
        AdminCommandsTest.Run again = AdminCommandsTest.run("restore", backup.toString(), "--data-dir",
                restored.toString());
        assertEquals(1, again.code());
        assertTrue(again.err().contains("is not empty"), again.err());

        try (TestServer server = TestServer.start(restored, Map.of())) {
            for (String id : beforeBackup) {
                assertEquals(200, server.get("/Patient/" + id).statusCode(), "Patient/" + id);
            }
            JsonNode all = JSON.readTree(server.get("/Patient?_count=1000&_elements=id").body());
            int total = all.path("total").asInt();
            assertTrue(total >= beforeBackup.size(), "total " + total);
            assertEquals(total, all.path("entry").size(), "the search index and the resources agree");
            for (JsonNode e : all.path("entry")) {
                assertTrue(acknowledged.contains(e.path("resource").path("id").asText()), "only written Patients");
            }
            assertEquals(201, server.send("POST", "/Patient", "{\"resourceType\":\"Patient\"}").statusCode(),
                    "the restored server takes writes");
        }
    }

    @Test
    void backupsNeedTheAdminCredentialsWhenSecured() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-backup-secured");
        try (TestServer server = TestServer.start(dir.resolve("data"),
                Map.of("security", "smart", "admin-password", "backup-test-pw"))) {
            assertEquals(401, server.send("POST", "/admin/backups", null).statusCode());
            AdminCommandsTest.Run denied = AdminCommandsTest.run("backup", "--server", server.base,
                    "--admin-password", "wrong");
            assertEquals(1, denied.code());
            assertTrue(denied.err().contains("refused the admin credentials"), denied.err());
            AdminCommandsTest.Run made = AdminCommandsTest.run("backup", "--server", server.base,
                    "--admin-password", "backup-test-pw");
            assertEquals(0, made.code(), made.err());
            AdminCommandsTest.Run list = AdminCommandsTest.run("backup", "--list", "--server", server.base,
                    "--admin-password", "backup-test-pw");
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains("fhirbolt-backup-"), list.out());
        }
    }

    private static String create(TestServer server, String family) throws Exception {
        HttpResponse<String> r = server.send("POST", "/Patient",
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + family + "\"}]}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).path("id").asText();
    }

    @Test
    void theConsolesStateIsInTheBackupAndComesBackWithTheRestore() throws Exception {
        Path dir = Files.createTempDirectory("fhirbolt-backup-console");
        String loads = "{\"loads\":[{\"id\":\"a1\",\"owner\":\"alice\",\"name\":\"patients.ndjson\","
                + "\"started\":\"2026-12-07T10:00:00Z\",\"committed\":4000,\"failed\":0,\"bytes\":123456,"
                + "\"finished\":\"2026-12-07T10:01:00Z\",\"message\":\"4000 committed\"}]}";
        Path backup;
        try (TestServer server = TestServer.start(dir.resolve("data"), Map.of())) {
            Path console = dir.resolve("data").resolve("console");
            Files.createDirectories(console);
            Files.writeString(console.resolve("loads.json"), loads);
            Files.writeString(console.resolve("exports.json.tmp"), "half-writ");
            AdminCommandsTest.Run run = AdminCommandsTest.run("backup", "--server", server.base);
            assertEquals(0, run.code(), run.err());
            Matcher m = Pattern.compile("^(/\\S+/fhirbolt-backup-\\S+)\\s+\\(", Pattern.MULTILINE).matcher(run.out());
            assertTrue(m.find(), run.out());
            backup = Path.of(m.group(1));
        }
        assertEquals(loads, Files.readString(backup.resolve("console").resolve("loads.json")));
        assertTrue(Files.notExists(backup.resolve("console").resolve("exports.json.tmp")), "no temporary file");
        Path restored = dir.resolve("restored");
        AdminCommandsTest.Run restore = AdminCommandsTest.run("restore", backup.toString(), "--data-dir",
                restored.toString());
        assertEquals(0, restore.code(), restore.err());
        assertEquals(loads, Files.readString(restored.resolve("console").resolve("loads.json")));
        try (TestServer server = TestServer.start(restored, Map.of())) {
            assertEquals(200, server.get("/metadata").statusCode(), "a server starts on the restored directory");
        }
        assertTrue(Files.readString(restored.resolve("console").resolve("loads.json")).contains("patients.ndjson"),
                "the restored server read the loads and kept them");
    }
}
