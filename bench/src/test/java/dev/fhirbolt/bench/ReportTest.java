package dev.fhirbolt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static StepResult step(String scenario, int clients, long ok) {
        return new StepResult(scenario, clients, 10, ok, 2, Map.of("HTTP 500", 2L), 1.5, 2.5, 9.75, 40, 1.7,
                200L * 1024 * 1024, 1.2, 0.4, 0.1);
    }

    private static Report report() {
        MachineInfo machine = new MachineInfo(2, "Test CPU \"X\"", 4L << 30, "0.10 0.20 0.30", "Linux", "JVM 21");
        return new Report("2026-11-29T10:00:00", machine, "http://127.0.0.1:1", 123, "java 21 -Xmx1g", "raw",
                5, 10, List.of(step("read", 1, 20_000), step("read", 64, 200_000), step("create", 16, 25_000)),
                new ServerProcess.Startup(900, -1, 150L * 1024 * 1024, null),
                new ServerProcess.Startup(1100, 1300, 160L * 1024 * 1024, "Patient/1"), 5000, 250,
                List.of("busy machine"));
    }

    @Test
    void textTableHasOneRowAStepAndTheTargetVerdicts() {
        String text = report().text();
        assertTrue(text.contains("read           64  20,000"), text);
        assertTrue(text.contains("create         16   2,500"), text);
        assertTrue(text.contains("1.20/0.40/0.10"), text);
        assertTrue(text.contains("errors in read/1: {HTTP 500=2}"), text);
        var targets = report().targets();
        assertEquals("met", targets.get(0).verdict()); // 20,000 reads/s at 64 clients
        assertEquals("NOT MET", targets.get(1).verdict()); // 2,500 creates/s
        assertEquals("met", targets.get(2).verdict()); // 1.3 s to first read
        assertEquals("150 MB", targets.get(3).measured());
    }

    @Test
    void markdownAndJsonCarryTheSameFigures() {
        Report r = report();
        assertTrue(r.markdown().contains("|read|64|20,000|1.50|2.50|9.75|40.0|2|200|1.20/0.40/0.10|"), r.markdown());
        String json = r.json();
        assertTrue(json.contains("\"cpuModel\":\"Test CPU \\\"X\\\"\""), json);
        assertTrue(json.contains("\"throughput\":20000.000"), json);
        assertTrue(json.contains("\"errorKinds\":{\"HTTP 500\":2}"), json);
        assertTrue(json.contains("\"restart\":{\"toHealthMs\":1100.000,\"toFirstReadMs\":1300.000"), json);
        assertTrue(json.startsWith("{\"date\":") && json.endsWith("]}"), json);
    }

    @Test
    void durationsAcceptUnits() {
        assertEquals(Duration.ofMillis(500), BenchMain.duration("500ms"));
        assertEquals(Duration.ofSeconds(15), BenchMain.duration("15s"));
        assertEquals(Duration.ofSeconds(90), BenchMain.duration("1.5m"));
        assertEquals(Duration.ofSeconds(3), BenchMain.duration("3"));
    }

    @Test
    void procParsing() {
        assertEquals(123456, ProcStats.parseKb("VmRSS:\t  123456 kB"));
        String stat = "4242 (java (x) y) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0";
        assertEquals(300, ProcStats.cpuTicksFromStat(stat));
        var cpu = ProcStats.machineCpuFromStat("cpu  100 0 50 800 50 0 0 0 0 0");
        assertEquals(1_000 * 10_000_000L, cpu.totalNanos());
        assertEquals(150 * 10_000_000L, cpu.busyNanos());
    }

    @Test
    void locationsGiveTypeAndId() {
        assertEquals("Patient/abc", Locations.reference("http://h:1/Patient/abc/_history/1"));
        assertEquals("Observation/1", Locations.reference("http://h:1/fhir/Observation/1"));
        assertEquals(null, Locations.reference(null));
        assertEquals(null, Locations.reference("nothing"));
    }
}
