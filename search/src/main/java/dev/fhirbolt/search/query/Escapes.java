package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.List;

/** Splitting search values on unescaped separators (',' '|' '$') and removing the escapes afterwards. */
public final class Escapes {

    private Escapes() {
    }

    /** Splits on every unescaped {@code separator}; escapes stay in the parts. */
    public static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                current.append(c).append(value.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** Splits at the first unescaped separator into two parts, or returns one part. */
    public static List<String> splitFirst(String value, char separator) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == separator) {
                return List.of(value.substring(0, i), value.substring(i + 1));
            }
        }
        return List.of(value);
    }

    public static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                out.append(value.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
