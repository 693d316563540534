package dev.fhirbolt.bench.console;

import java.util.List;
import java.util.function.ToLongFunction;

/** The report's rows: per page the medians (and the worst) of server time, first byte and first paint. */
final class PaintTable {

    static final String HEADER = "| page | server (ms) | first byte (ms) | first paint (ms) | under "
            + ConsoleBench.TARGET_MS + " ms |\n|---|---:|---:|---:|---|";

    private PaintTable() {
    }

    static String row(String page, List<PaintProbe.Timing> timings, int timeouts, int timeoutSeconds) {
        if (timings.isEmpty()) {
            return "| " + page + " | over " + timeoutSeconds + " s | - | - | no |";
        }
        long paint = median(timings, PaintProbe.Timing::paint);
        int status = timings.stream().mapToInt(PaintProbe.Timing::status).filter(s -> s != 200).findFirst()
                .orElse(200);
        boolean met = timeouts == 0 && status == 200 && paint >= 0 && paint < ConsoleBench.TARGET_MS;
        return "| " + page + " | " + cell(timings, PaintProbe.Timing::server) + " | "
                + cell(timings, PaintProbe.Timing::firstByte) + " | " + cell(timings, PaintProbe.Timing::paint) + " | "
                + (met ? "yes" : "no") + (status != 200 ? " (HTTP " + status + ")" : "")
                + (timeouts > 0 ? " (" + timeouts + " over " + timeoutSeconds + " s)" : "") + " |";
    }

    private static String cell(List<PaintProbe.Timing> timings, ToLongFunction<PaintProbe.Timing> f) {
        long max = timings.stream().mapToLong(f).max().orElse(-1);
        return median(timings, f) + (timings.size() > 1 ? " (" + max + ")" : "");
    }

    static long median(List<PaintProbe.Timing> timings, ToLongFunction<PaintProbe.Timing> f) {
        long[] v = timings.stream().mapToLong(f).sorted().toArray();
        return v[v.length / 2];
    }
}
