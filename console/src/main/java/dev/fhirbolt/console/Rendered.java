package dev.fhirbolt.console;

/** What a page produces: a template and its view, or a redirect. */
record Rendered(int status, String template, Object view, String redirect) {

    static Rendered page(String template, Object view) {
        return new Rendered(200, template, view, null);
    }

    static Rendered redirect(String location) {
        return new Rendered(303, null, null, location);
    }
}
