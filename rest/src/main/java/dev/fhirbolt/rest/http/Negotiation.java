package dev.fhirbolt.rest.http;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.SummaryMode;
import dev.fhirbolt.rest.FhirRequest;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Chooses the response shape from _format, Accept, _pretty, _summary and _elements. */
public final class Negotiation {

    private Negotiation() {
    }

    public static RenderOptions options(FhirRequest request) {
        FhirFormat format = format(request);
        boolean pretty = request.params().first("_pretty").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        SummaryMode summary = SummaryMode.parse(request.params().first("_summary").orElse(null));
        Optional<Set<String>> elements = request.params().first("_elements").filter(v -> !v.isBlank())
                .map(Negotiation::elements);
        return new RenderOptions(format, pretty, summary, elements);
    }

    /** Element names, each an element of the resource ({@code name}) or a path ({@code Patient.name}). */
    private static final java.util.regex.Pattern ELEMENT = java.util.regex.Pattern.compile(
            "(\\*|[A-Za-z][A-Za-z0-9_]*)(\\.[A-Za-z][A-Za-z0-9_]*)*");

    private static Set<String> elements(String value) {
        Set<String> elements = new LinkedHashSet<>();
        for (String element : value.split(",")) {
            String name = element.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.length() > 200 || !ELEMENT.matcher(name).matches()) {
                throw FhirException.invalid("_elements names elements such as name or Patient.name, separated by"
                        + " commas; '" + abbreviate(name) + "' is not an element name");
            }
            elements.add(name);
        }
        if (elements.isEmpty()) {
            throw FhirException.invalid("_elements names no element: '" + abbreviate(value) + "'");
        }
        return elements;
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }

    /** The format alone, never failing: error responses still need one. */
    public static FhirFormat formatOrJson(FhirRequest request) {
        try {
            return format(request);
        } catch (FhirException e) {
            return FhirFormat.JSON;
        }
    }

    private static FhirFormat format(FhirRequest request) {
        Optional<String> explicit = request.params().first("_format");
        if (explicit.isPresent()) {
            return FhirFormat.fromMimeType(explicit.get()).orElseThrow(() -> new FhirException(406,
                    IssueType.NOT_SUPPORTED, "_format '" + explicit.get() + "' is not supported; use json or xml"));
        }
        Optional<String> accept = request.header("Accept");
        if (accept.isPresent()) {
            for (String range : accept.get().split(",")) {
                Optional<FhirFormat> format = FhirFormat.fromMimeType(range);
                if (format.isPresent()) {
                    return format.get();
                }
            }
        }
        return FhirFormat.JSON;
    }
}
