package dev.fhirbolt.console;

import java.nio.charset.StandardCharsets;

/** What a page produces: a template and its view, a redirect, or a body as it is (JSON for the script, a file). */
record Rendered(int status, String template, Object view, String redirect, Raw raw) {

    Rendered(int status, String template, Object view, String redirect) {
        this(status, template, view, redirect, null);
    }

    /** A body sent as it is; with a file name it is a download. */
    record Raw(String contentType, String filename, byte[] body) {
    }

    static Rendered page(String template, Object view) {
        return new Rendered(200, template, view, null);
    }

    static Rendered redirect(String location) {
        return new Rendered(303, null, null, location);
    }

    /** A JSON answer for the console's own script (upload progress). */
    static Rendered json(int status, String json) {
        return new Rendered(status, null, null, null, new Raw("application/json", null,
                json.getBytes(StandardCharsets.UTF_8)));
    }

    static Rendered file(String contentType, String filename, byte[] body) {
        return new Rendered(200, null, null, null, new Raw(contentType, filename, body));
    }
}
