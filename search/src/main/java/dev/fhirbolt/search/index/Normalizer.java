package dev.fhirbolt.search.index;

import java.text.Normalizer.Form;
import java.util.Locale;
import java.util.regex.Pattern;

/** String search is case- and accent-insensitive: both sides are compared in this form. */
public final class Normalizer {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Normalizer() {
    }

    public static String normalize(String s) {
        String ascii = asciiOnly(s);
        return ascii != null ? ascii : general(s);
    }

    /** Any text: NFD, combining marks removed, lower case, whitespace runs as one space, trimmed, NUL as space. */
    static String general(String s) {
        String decomposed = java.text.Normalizer.normalize(s, Form.NFD);
        String stripped = MARKS.matcher(decomposed).replaceAll("");
        return SPACES.matcher(stripped.toLowerCase(Locale.ROOT)).replaceAll(" ").trim().replace('\0', ' ');
    }

    /**
     * The same result without regular expressions for pure ASCII text (no accents to strip, NFD changes nothing):
     * lower case, each run of {@code \s} characters one space, trimmed, NUL as space. Null for other text.
     */
    private static String asciiOnly(String s) {
        int n = s.length();
        StringBuilder out = null;
        boolean inSpace = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
            char mapped = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
            if (out == null) {
                if (mapped == c && !(space && (c != ' ' || inSpace))) {
                    inSpace = space;
                    continue;
                }
                out = new StringBuilder(n);
                out.append(s, 0, i);
            }
            if (space) {
                if (!inSpace) {
                    out.append(' ');
                }
            } else {
                out.append(mapped);
            }
            inSpace = space;
        }
        String collapsed = out == null ? s : out.toString();
        return collapsed.trim().replace('\0', ' ');
    }
}
