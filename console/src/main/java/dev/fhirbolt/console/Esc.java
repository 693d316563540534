package dev.fhirbolt.console;

/** HTML escaping for the few fragments built in Java (pretty JSON, SVG charts); templates escape on their own. */
final class Esc {

    private Esc() {
    }

    static String html(String s) {
        return dev.fhirbolt.common.HtmlText.escape(s);
    }
}
