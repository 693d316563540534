package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;

/** A line of text that names a resource for people: a person's name, or the display of its code, and its date. */
final class Summaries {

    private static final String[] CONCEPTS = {"code", "medicationCodeableConcept", "vaccineCode", "type", "category"};
    private static final String[] DATES = {"effectiveDateTime", "onsetDateTime", "authoredOn", "recordedDate",
            "occurrenceDateTime", "performedDateTime", "issued", "date", "birthDate"};

    private Summaries() {
    }

    static String text(JsonNode r) {
        JsonNode name = r.path("name");
        if (name.isArray() && !name.isEmpty()) {
            return humanName(name.get(0));
        }
        if (name.isTextual()) {
            return name.asText();
        }
        for (String field : CONCEPTS) {
            String t = concept(r.path(field));
            if (!t.isEmpty()) {
                return t;
            }
        }
        return r.path("title").asText(r.path("description").asText(""));
    }

    static String humanName(JsonNode n) {
        if (n.hasNonNull("text")) {
            return n.path("text").asText();
        }
        StringBuilder b = new StringBuilder();
        n.path("prefix").forEach(p -> b.append(p.asText()).append(' '));
        n.path("given").forEach(g -> b.append(g.asText()).append(' '));
        b.append(n.path("family").asText(""));
        return b.toString().trim();
    }

    /** The text of a CodeableConcept (or the first of an array of them): its text, else its first display or code. */
    static String concept(JsonNode c) {
        if (c.isArray()) {
            return c.isEmpty() ? "" : concept(c.get(0));
        }
        if (c.hasNonNull("text")) {
            return c.path("text").asText();
        }
        for (JsonNode coding : c.path("coding")) {
            if (coding.hasNonNull("display")) {
                return coding.path("display").asText();
            }
        }
        JsonNode first = c.path("coding").path(0);
        return first.path("code").asText("");
    }

    /** The clinically relevant date of a resource (day precision), or "". */
    static String date(JsonNode r) {
        for (String field : DATES) {
            if (r.hasNonNull(field)) {
                return day(r.path(field).asText());
            }
        }
        if (r.path("period").hasNonNull("start")) {
            return day(r.path("period").path("start").asText());
        }
        if (r.path("effectivePeriod").hasNonNull("start")) {
            return day(r.path("effectivePeriod").path("start").asText());
        }
        return "";
    }

    static String day(String dateTime) {
        return dateTime.length() > 10 ? dateTime.substring(0, 10) : dateTime;
    }
}
