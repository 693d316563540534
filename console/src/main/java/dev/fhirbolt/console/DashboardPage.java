package dev.fhirbolt.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The dashboard: resources per type, data size, the security mode and the operator's warnings. */
final class DashboardPage {

    private final Capabilities capabilities;
    private final TypeCounts counts;
    private final ServerStatus status;
    private final Loads loads;
    private final Exports exports;
    private final java.time.Clock clock;

    DashboardPage(Capabilities capabilities, TypeCounts counts, ServerStatus status, Loads loads, Exports exports,
            java.time.Clock clock) {
        this.capabilities = capabilities;
        this.counts = counts;
        this.status = status;
        this.loads = loads;
        this.exports = exports;
        this.clock = clock;
    }

    Rendered show(Visit v) {
        List<String> types = capabilities.types(v.fhir()); // a sign-in that has ended shows the welcome page
        return Rendered.streamed(v.frame("Dashboard", "dashboard"), "dashboard.jte", () -> view(v, types));
    }

    /** The dashboard's content: waits for the counts only on an access's first look, and at most a short budget. */
    private Views.Dashboard view(Visit v, List<String> types) {
        String access = TypeCounts.access(v);
        boolean secondLook = "1".equals(v.param("wait"));
        Map<String, Long> known = counts.counts(access, v.fhir(), types,
                secondLook ? TypeCounts.SECOND_LOOK_MILLIS : TypeCounts.FIRST_PAINT_MILLIS);
        long max = known.values().stream().filter(c -> c != null).mapToLong(Long::longValue).max().orElse(0);
        boolean pending = known.containsValue(null);
        long total = 0;
        List<Views.TypeCount> rows = new ArrayList<>();
        for (Map.Entry<String, Long> e : known.entrySet()) {
            Long c = e.getValue();
            if (c != null && c > 0) {
                total += c;
                int width = max == 0 ? 0 : (int) Math.max(1, Math.round(200.0 * c / max));
                rows.add(new Views.TypeCount(e.getKey(), c, width));
            }
        }
        ServerStatus.Snapshot s = status.snapshot();
        var samples = status.requests();
        var now = clock.instant();
        long lastHour = samples.stream().mapToLong(ServerStatus.RequestSample::requests).sum();
        return new Views.Dashboard(rows, total,
                size(s.dataBytes()), s.securityMode(), s.warnings(), v.fhir().baseUrl(), v.scope(),
                pending && !secondLook, MinuteChart.requests(samples, now), MinuteChart.latency(samples, now),
                lastHour, JobList.of(v, loads, exports));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
