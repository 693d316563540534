package dev.fhirbolt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Linux {@code /proc} readings: a process's resident set size and CPU time, and the whole machine's busy CPU time,
 * so a report can tell how much of the 2 cores the server, the load generator and everything else used.
 * Every method returns -1 where {@code /proc} is missing (not Linux) or the process is gone.
 */
public final class ProcStats {

    /** Clock ticks per second of /proc times; 100 on every mainstream Linux build (USER_HZ). */
    static final long TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** VmRSS of a process in bytes. */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return parseKb(line) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static long parseKb(String statusLine) {
        String[] parts = statusLine.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    /** User + system CPU time of a process in nanoseconds. */
    public static long cpuNanos(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            var os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return sun.getProcessCpuTime();
            }
        }
        try {
            return cpuTicksFromStat(Files.readString(Path.of("/proc/" + pid + "/stat"))) * (1_000_000_000L
                    / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat line; the command name may hold spaces. */
    static long cpuTicksFromStat(String stat) {
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // rest[0] is field 3 (state), so field n is rest[n - 3]
        return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    }

    /** Busy and total CPU time of the whole machine (all cores) in nanoseconds, from /proc/stat. */
    public record MachineCpu(long busyNanos, long totalNanos) {
    }

    public static MachineCpu machineCpu() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/stat"));
            return machineCpuFromStat(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(-1, -1);
        }
    }

    static MachineCpu machineCpuFromStat(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long total = 0;
        // user nice system idle iowait irq softirq steal (guest times are already inside user)
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        long tick = 1_000_000_000L / TICKS_PER_SECOND;
        return new MachineCpu((total - idle) * tick, total * tick);
    }
}
