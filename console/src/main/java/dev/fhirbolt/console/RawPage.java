package dev.fhirbolt.console;

/** Any other FHIR answer (the CapabilityStatement, an operation's result, a history) as pretty JSON with links. */
final class RawPage {

    private static final int LARGE = 100_000;

    Rendered show(Visit v, String fhirPath, String title, String active) {
        String query = v.rawQuery() == null || v.rawQuery().isEmpty() ? "" : "?" + v.rawQuery();
        var json = v.fhir().get(fhirPath + query);
        // a large document (the CapabilityStatement) as plain text: thousands of highlighted spans slow the browser
        String body = json.size() > 0 && json.toString().length() > LARGE ? Esc.html(JsonTexts.pretty(json))
                : JsonHtml.render(json, v.fhir().baseUrl());
        return Rendered.page("raw.jte", new Views.Raw(v.frame(title, active), v.fhir().baseUrl() + fhirPath + query,
                body));
    }
}
