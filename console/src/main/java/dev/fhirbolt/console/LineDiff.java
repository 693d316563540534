package dev.fhirbolt.console;

import java.util.ArrayList;
import java.util.List;

/** A line diff (longest common subsequence) of two texts, for comparing versions of a resource. */
public final class LineDiff {

    /** Texts longer than this many lines are compared only by their common head and tail. */
    static final int MAX_LINES = 4000;

    /** One line of the diff: {@code ' '} kept, {@code '-'} only in the old text, {@code '+'} only in the new. */
    public record Line(char kind, String text) {

        public String css() {
            return kind == '+' ? "add" : kind == '-' ? "del" : "same";
        }

        public String mark() {
            return String.valueOf(kind);
        }
    }

    private LineDiff() {
    }

    static List<Line> diff(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        int head = 0;
        while (head < a.length && head < b.length && a[head].equals(b[head])) {
            head++;
        }
        int tail = 0;
        while (tail < a.length - head && tail < b.length - head
                && a[a.length - 1 - tail].equals(b[b.length - 1 - tail])) {
            tail++;
        }
        List<Line> out = new ArrayList<>();
        for (int i = 0; i < head; i++) {
            out.add(new Line(' ', a[i]));
        }
        int n = a.length - head - tail;
        int m = b.length - head - tail;
        if (n > MAX_LINES || m > MAX_LINES) {
            for (int i = 0; i < n; i++) {
                out.add(new Line('-', a[head + i]));
            }
            for (int j = 0; j < m; j++) {
                out.add(new Line('+', b[head + j]));
            }
        } else {
            middle(a, b, head, n, m, out);
        }
        for (int i = a.length - tail; i < a.length; i++) {
            out.add(new Line(' ', a[i]));
        }
        return out;
    }

    private static void middle(String[] a, String[] b, int from, int n, int m, List<Line> out) {
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[from + i].equals(b[from + j]) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[from + i].equals(b[from + j])) {
                out.add(new Line(' ', a[from + i]));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add(new Line('-', a[from + i]));
                i++;
            } else {
                out.add(new Line('+', b[from + j]));
                j++;
            }
        }
    }

    /** Only the changed lines with {@code context} unchanged lines around them; null marks an elided stretch. */
    static List<Line> compact(List<Line> lines, int context) {
        boolean[] keep = new boolean[lines.size()];
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).kind() != ' ') {
                for (int c = Math.max(0, k - context); c <= Math.min(lines.size() - 1, k + context); c++) {
                    keep[c] = true;
                }
            }
        }
        List<Line> out = new ArrayList<>();
        boolean skipped = false;
        for (int k = 0; k < lines.size(); k++) {
            if (keep[k]) {
                if (skipped) {
                    out.add(new Line('…', ""));
                }
                out.add(lines.get(k));
                skipped = false;
            } else {
                skipped = true;
            }
        }
        if (skipped && !out.isEmpty()) {
            out.add(new Line('…', ""));
        }
        return out;
    }
}
