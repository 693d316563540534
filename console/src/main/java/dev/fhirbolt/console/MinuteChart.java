package dev.fhirbolt.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The dashboard's plots of the last hour, as inline SVG: requests a minute (bars) and latency percentiles (lines). */
final class MinuteChart {

    private static final int W = 440;
    private static final int H = 170;
    private static final int LEFT = 48;
    private static final int RIGHT = 10;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;
    private static final String[] COLOURS = {"#0b5cad", "#a3470b", "#b3261e"};
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private MinuteChart() {
    }

    static String requests(List<ServerStatus.RequestSample> samples, Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.MINUTES).minus(59, ChronoUnit.MINUTES);
        long max = Math.max(1, samples.stream().mapToLong(ServerStatus.RequestSample::requests).max().orElse(1));
        StringBuilder b = open("FHIR requests a minute, last hour", start, now, Long.toString(max));
        double slot = (W - LEFT - RIGHT) / 60.0;
        int plotH = H - TOP - BOTTOM;
        for (ServerStatus.RequestSample s : samples) {
            long i = ChronoUnit.MINUTES.between(start, s.minute());
            if (i < 0 || i > 59 || s.requests() == 0) {
                continue;
            }
            double h = Math.max(1, plotH * (double) s.requests() / max);
            b.append("<rect x=\"").append(f(LEFT + i * slot + 0.5)).append("\" y=\"").append(f(TOP + plotH - h))
                    .append("\" width=\"").append(f(Math.max(1, slot - 1))).append("\" height=\"").append(f(h))
                    .append("\" fill=\"#0b5cad\"><title>").append(HM.format(s.minute())).append(" UTC: ")
                    .append(s.requests()).append(" requests</title></rect>");
        }
        return b.append("</svg>").toString();
    }

    static String latency(List<ServerStatus.RequestSample> samples, Instant now) {
        Instant start = now.truncatedTo(ChronoUnit.MINUTES).minus(59, ChronoUnit.MINUTES);
        double max = samples.stream().mapToDouble(ServerStatus.RequestSample::p99).filter(d -> !Double.isNaN(d))
                .max().orElse(1);
        max = Math.max(1, max);
        StringBuilder b = open("FHIR request latency (ms) p50, p95 and p99, last hour", start, now, number(max)
                + " ms");
        double slot = (W - LEFT - RIGHT) / 60.0;
        int plotH = H - TOP - BOTTOM;
        String[] names = {"p50", "p95", "p99"};
        for (int k = 0; k < 3; k++) {
            StringBuilder points = new StringBuilder();
            for (ServerStatus.RequestSample s : samples) {
                double v = k == 0 ? s.p50() : k == 1 ? s.p95() : s.p99();
                long i = ChronoUnit.MINUTES.between(start, s.minute());
                if (Double.isNaN(v) || i < 0 || i > 59) {
                    continue;
                }
                double x = LEFT + i * slot + slot / 2;
                double y = TOP + plotH - plotH * Math.min(v, max) / max;
                points.append(f(x)).append(',').append(f(y)).append(' ');
                b.append("<circle cx=\"").append(f(x)).append("\" cy=\"").append(f(y)).append("\" r=\"2\" fill=\"")
                        .append(COLOURS[k]).append("\"><title>").append(HM.format(s.minute())).append(" UTC ")
                        .append(names[k]).append(' ').append(number(v)).append(" ms</title></circle>");
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(COLOURS[k]).append("\" stroke-width=\"1.5\" points=\"")
                    .append(points.toString().trim()).append("\"/>");
            b.append("<text x=\"").append(LEFT + 6 + 34 * k).append("\" y=\"").append(TOP + 14)
                    .append("\" text-anchor=\"start\" font-size=\"12\" fill=\"").append(COLOURS[k]).append("\">")
                    .append(names[k]).append("</text>");
        }
        return b.append("</svg>").toString();
    }

    private static StringBuilder open(String title, Instant start, Instant now, String top) {
        StringBuilder b = new StringBuilder(4096);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(Esc.html(title)).append("\"><title>")
                .append(Esc.html(title)).append("</title>");
        b.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"#fff\" stroke=\"#ccc\"/>");
        LineChart.label(b, LEFT - 4, TOP + 10, "end", top);
        LineChart.label(b, LEFT - 4, TOP + plotH, "end", "0");
        LineChart.label(b, LEFT, H - 8, "start", HM.format(start));
        LineChart.label(b, W - RIGHT, H - 8, "end", HM.format(now) + " UTC");
        return b;
    }

    private static String f(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String number(double d) {
        return d >= 100 ? String.format(Locale.ROOT, "%.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
