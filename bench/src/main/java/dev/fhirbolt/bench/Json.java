package dev.fhirbolt.bench;

import java.util.Locale;

/** A tiny JSON writer for the report (keeps the bench jar free of a JSON library). */
final class Json {

    private final StringBuilder sb = new StringBuilder();
    private boolean needComma;

    private void comma() {
        if (needComma) {
            sb.append(',');
        }
        needComma = false;
    }

    Json open(char bracket) {
        comma();
        sb.append(bracket);
        return this;
    }

    Json close(char bracket) {
        sb.append(bracket);
        needComma = true;
        return this;
    }

    Json key(String key) {
        comma();
        string(key);
        sb.append(':');
        return this;
    }

    Json raw(String literal) {
        comma();
        sb.append(literal);
        needComma = true;
        return this;
    }

    Json value(String v) {
        if (v == null) {
            return raw("null");
        }
        comma();
        string(v);
        needComma = true;
        return this;
    }

    Json field(String key, String v) {
        return key(key).value(v);
    }

    Json field(String key, long v) {
        return key(key).raw(Long.toString(v));
    }

    Json field(String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return key(key).raw("null");
        }
        return key(key).raw(String.format(Locale.ROOT, "%.3f", v));
    }

    private void string(String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
