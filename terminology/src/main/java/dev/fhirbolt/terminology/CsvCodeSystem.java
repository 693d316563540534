package dev.fhirbolt.terminology;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Turns a CSV of concepts into a CodeSystem resource's JSON (inside a transaction Bundle that PUTs it), streamed
 * record by record: memory stays bounded by one record whatever the file's size. The header names the columns:
 * {@code code} (required), {@code display}, {@code definition}, {@code parent} (parent codes separated by
 * {@code |}), {@code status} or {@code inactive}; any other column becomes a string property of that name.
 */
public final class CsvCodeSystem {

    /** The CodeSystem's identity. */
    public record Header(String id, String url, String name, Optional<String> version) {
    }

    private static final JsonFactory JSON = new JsonFactory();

    private CsvCodeSystem() {
    }

    /**
     * Writes the transaction Bundle and answers the number of concepts; {@code progress} hears the characters of
     * CSV read so far.
     */
    public static long write(BufferedReader csv, Header header, OutputStream out, LongConsumer progress)
            throws IOException {
        return write(csv, header, CodeSystemForm.TRANSACTION, out, progress);
    }

    /** {@link #write(BufferedReader, Header, OutputStream, LongConsumer)} in the given form (bare, for $upload). */
    public static long write(BufferedReader csv, Header header, CodeSystemForm form, OutputStream out,
            LongConsumer progress) throws IOException {
        CsvRows rows = new CsvRows(csv);
        List<String> columns = rows.next().orElseThrow(() -> new IllegalArgumentException("the CSV file is empty"))
                .stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList();
        int code = columns.indexOf("code");
        if (code < 0) {
            throw new IllegalArgumentException("the CSV header has no 'code' column: " + columns);
        }
        long count = 0;
        long chars = 0;
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            form.start(g, header.id());
            g.writeStringField("url", header.url());
            if (header.version().isPresent()) {
                g.writeStringField("version", header.version().get());
            }
            g.writeStringField("name", header.name());
            g.writeStringField("status", "active");
            g.writeStringField("hierarchyMeaning", "is-a");
            g.writeStringField("content", "complete");
            writePropertyDefinitions(g, columns);
            g.writeArrayFieldStart("concept");
            for (Optional<List<String>> row = rows.next(); row.isPresent(); row = rows.next()) {
                List<String> fields = row.get();
                if (fields.size() <= code || fields.get(code).isBlank()) {
                    throw new IllegalArgumentException("line " + rows.line() + ": no code");
                }
                writeConcept(g, columns, fields, code);
                count++;
                for (String f : fields) {
                    chars += f.length() + 1;
                }
                if ((count & 1023) == 0) {
                    progress.accept(chars);
                }
            }
            progress.accept(chars);
            g.writeEndArray();
            g.writeNumberField("count", count);
            form.end(g, header.id());
        }
        return count;
    }

    private static void writePropertyDefinitions(JsonGenerator g, List<String> columns) throws IOException {
        List<String[]> defs = new ArrayList<>();
        for (String c : columns) {
            switch (c) {
                case "code", "display", "definition" -> { }
                case "parent" -> defs.add(new String[] {"parent", "code"});
                case "inactive" -> defs.add(new String[] {"inactive", "boolean"});
                case "status" -> defs.add(new String[] {"status", "code"});
                default -> defs.add(new String[] {c, "string"});
            }
        }
        if (defs.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("property");
        for (String[] d : defs) {
            g.writeStartObject();
            g.writeStringField("code", d[0]);
            g.writeStringField("type", d[1]);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeConcept(JsonGenerator g, List<String> columns, List<String> fields, int code)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("code", fields.get(code).trim());
        String display = field(columns, fields, "display");
        if (display != null) {
            g.writeStringField("display", display);
        }
        String definition = field(columns, fields, "definition");
        if (definition != null) {
            g.writeStringField("definition", definition);
        }
        boolean open = false;
        for (int i = 0; i < columns.size() && i < fields.size(); i++) {
            String column = columns.get(i);
            String value = fields.get(i).trim();
            if (value.isEmpty() || column.equals("code") || column.equals("display") || column.equals("definition")) {
                continue;
            }
            if (!open) {
                g.writeArrayFieldStart("property");
                open = true;
            }
            if (column.equals("parent")) {
                for (String parent : value.split("\\|")) {
                    if (!parent.isBlank()) {
                        property(g, "parent", "valueCode", parent.trim());
                    }
                }
            } else if (column.equals("inactive")) {
                g.writeStartObject();
                g.writeStringField("code", "inactive");
                g.writeBooleanField("valueBoolean", Boolean.parseBoolean(value));
                g.writeEndObject();
            } else {
                property(g, column, column.equals("status") ? "valueCode" : "valueString", value);
            }
        }
        if (open) {
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void property(JsonGenerator g, String code, String type, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("code", code);
        g.writeStringField(type, value);
        g.writeEndObject();
    }

    private static String field(List<String> columns, List<String> fields, String name) {
        int i = columns.indexOf(name);
        if (i < 0 || i >= fields.size() || fields.get(i).isBlank()) {
            return null;
        }
        return fields.get(i).trim();
    }
}
