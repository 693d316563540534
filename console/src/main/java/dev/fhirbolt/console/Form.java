package dev.fhirbolt.console;

import java.util.List;
import java.util.Map;

/** A posted console form: its fields by name; a missing field reads as the empty string. */
record Form(List<Map.Entry<String, String>> fields) {

    static Form of(List<Map.Entry<String, String>> fields) {
        return new Form(fields);
    }

    String get(String name) {
        String value = Forms.first(fields, name);
        return value == null ? "" : value;
    }
}
