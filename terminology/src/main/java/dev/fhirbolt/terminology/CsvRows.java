package dev.fhirbolt.terminology;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads CSV one record at a time (RFC 4180: comma separated, fields in double quotes may hold commas, doubled
 * quotes and line breaks), so a file of any size is read in constant memory.
 */
final class CsvRows {

    private final BufferedReader in;
    private long line;

    CsvRows(BufferedReader in) {
        this.in = in;
    }

    /** The line the last record ended on. */
    long line() {
        return line;
    }

    Optional<List<String>> next() throws IOException {
        String text = in.readLine();
        while (text != null && text.isBlank()) {
            line++;
            text = in.readLine();
        }
        if (text == null) {
            return Optional.empty();
        }
        line++;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (!quoted) {
                    break;
                }
                String more = in.readLine();
                if (more == null) {
                    throw new IllegalArgumentException("line " + line + ": a quoted field is not closed");
                }
                line++;
                field.append('\n');
                text = more;
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"' && i < text.length() && text.charAt(i) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return Optional.of(fields);
    }
}
