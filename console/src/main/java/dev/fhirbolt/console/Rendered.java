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

    /**
     * A page sent in two parts: the layout's head, navigation and title at once (the browser fetches the style sheet
     * and paints them), then the content template with the view, made while the first part is on its way.
     */
    record Streamed(Views.Frame frame, java.util.function.Supplier<Object> view, String leadTemplate,
            Object leadView) {
        Streamed(Views.Frame frame, java.util.function.Supplier<Object> view) {
            this(frame, view, null, null);
        }
    }

    /** A page whose content (in {@code contentTemplate}, without the layout) follows its frame; always 200. */
    static Rendered streamed(Views.Frame frame, String contentTemplate, java.util.function.Supplier<Object> view) {
        return new Rendered(200, contentTemplate, new Streamed(frame, view), null);
    }

    /**
     * A streamed page whose first part also holds what is known at once ({@code leadTemplate} with its view, e.g. a
     * patient's demographics), painted while the content is made.
     */
    static Rendered streamed(Views.Frame frame, String leadTemplate, Object leadView, String contentTemplate,
            java.util.function.Supplier<Object> view) {
        return new Rendered(200, contentTemplate, new Streamed(frame, view, leadTemplate, leadView), null);
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
