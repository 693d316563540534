package dev.fhirbolt.console;

import java.util.List;
import java.util.Locale;

/** A bar chart as inline SVG (no script): counts per time bucket, with the largest count and the first and last labels. */
final class BarChart {

    /** One bar: its label (a time bucket) and how many fall in it. */
    record Bar(String label, int count) {
    }

    private static final int W = 720;
    private static final int H = 170;
    private static final int LEFT = 36;
    private static final int BOTTOM = 26;
    private static final int TOP = 10;

    private BarChart() {
    }

    static String svg(String title, List<Bar> bars) {
        int max = bars.stream().mapToInt(Bar::count).max().orElse(0);
        StringBuilder b = new StringBuilder();
        b.append("<svg class=\"chart\" id=\"audit-chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(Esc.html(title)).append("\">");
        b.append("<title>").append(Esc.html(title)).append("</title>");
        int plotW = W - LEFT - 8;
        int plotH = H - TOP - BOTTOM;
        b.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP + plotH).append("\" x2=\"").append(W - 8)
                .append("\" y2=\"").append(TOP + plotH).append("\" stroke=\"#555\"/>");
        b.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + 10)
                .append("\" text-anchor=\"end\" font-size=\"11\">").append(max).append("</text>");
        b.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(TOP + plotH)
                .append("\" text-anchor=\"end\" font-size=\"11\">0</text>");
        if (!bars.isEmpty() && max > 0) {
            double slot = (double) plotW / bars.size();
            double width = Math.max(1, slot * 0.8);
            for (int i = 0; i < bars.size(); i++) {
                Bar bar = bars.get(i);
                double h = (double) bar.count() / max * plotH;
                b.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                        + " height=\"%.1f\" fill=\"#0b5cad\"><title>%s: %d</title></rect>", LEFT + i * slot + slot * 0.1,
                        TOP + plotH - h, width, h, Esc.html(bar.label()), bar.count()));
            }
            b.append("<text x=\"").append(LEFT).append("\" y=\"").append(H - 8).append("\" font-size=\"11\">")
                    .append(Esc.html(bars.get(0).label())).append("</text>");
            b.append("<text x=\"").append(W - 8).append("\" y=\"").append(H - 8)
                    .append("\" text-anchor=\"end\" font-size=\"11\">").append(Esc.html(bars.get(bars.size() - 1)
                            .label())).append("</text>");
        }
        return b.append("</svg>").toString();
    }
}
