package dev.fhirbolt.console;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** A small line chart as inline SVG (no script, no library): points over time with its range and dates on the axes. */
final class LineChart {

    /** One measurement. */
    record Point(Instant at, double value) {
    }

    /** A named series, e.g. "Body weight" in "kg". */
    record Series(String name, String unit, List<Point> points) {
    }

    private static final int W = 440;
    private static final int H = 160;
    private static final int LEFT = 44;
    private static final int RIGHT = 14;
    private static final int TOP = 12;
    private static final int BOTTOM = 28;
    private static final String[] COLOURS = {"#0b5cad", "#b3261e"};

    private LineChart() {
    }

    /** One chart of up to two series that share a unit (e.g. systolic and diastolic pressure). */
    static String svg(String title, List<Series> series) {
        long minT = Long.MAX_VALUE;
        long maxT = Long.MIN_VALUE;
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        for (Series s : series) {
            for (Point p : s.points()) {
                minT = Math.min(minT, p.at().toEpochMilli());
                maxT = Math.max(maxT, p.at().toEpochMilli());
                minV = Math.min(minV, p.value());
                maxV = Math.max(maxV, p.value());
            }
        }
        if (minT == Long.MAX_VALUE) {
            return "";
        }
        double pad = (maxV - minV) * 0.1 + (maxV == minV ? 1 : 0);
        minV -= pad;
        maxV += pad;
        long spanT = Math.max(1, maxT - minT);
        StringBuilder b = new StringBuilder(2048);
        b.append("<svg class=\"chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(Esc.html(title)).append("\"><title>")
                .append(Esc.html(title)).append("</title>");
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        b.append("<rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(plotW)
                .append("\" height=\"").append(plotH).append("\" fill=\"#fff\" stroke=\"#ccc\"/>");
        label(b, LEFT - 6, TOP + 10, "end", number(maxV));
        label(b, LEFT - 6, TOP + plotH, "end", number(minV));
        label(b, LEFT, H - 8, "start", Instant.ofEpochMilli(minT).toString().substring(0, 10));
        label(b, W - RIGHT, H - 8, "end", Instant.ofEpochMilli(maxT).toString().substring(0, 10));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (Point p : s.points()) {
                double x = LEFT + (p.at().toEpochMilli() - minT) * (double) plotW / spanT;
                double y = TOP + plotH - (p.value() - minV) * plotH / (maxV - minV);
                points.append(coordinate(x)).append(',').append(coordinate(y)).append(' ');
                dots.append("<circle cx=\"").append(coordinate(x)).append("\" cy=\"").append(coordinate(y))
                        .append("\" r=\"2.5\" fill=\"").append(colour).append("\"><title>")
                        .append(Esc.html(s.name() + " " + number(p.value()) + " " + s.unit() + " on "
                                + p.at().toString().substring(0, 10)))
                        .append("</title></circle>");
            }
            if (series.size() > 1) {
                b.append("<text x=\"").append(W - RIGHT - 6).append("\" y=\"").append(TOP + 14 + 13 * i)
                        .append("\" text-anchor=\"end\" font-size=\"12\" fill=\"").append(colour).append("\">")
                        .append(Esc.html(s.name())).append("</text>");
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                    .append(points.toString().trim()).append("\"/>").append(dots);
        }
        return b.append("</svg>").toString();
    }

    static void label(StringBuilder b, int x, int y, String anchor, String text) {
        b.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" font-size=\"12\" fill=\"#333\">").append(Esc.html(text)).append("</text>");
    }

    private static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String number(double v) {
        return Math.abs(v - Math.rint(v)) < 1e-9 ? String.valueOf((long) Math.rint(v))
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
