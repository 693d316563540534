package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finding patients, practitioners and encounters by what people read (names, dates) for the pickers of the
 * administration and sandbox pages; searched with the signed-in user's token, so a picker shows what the user may see.
 */
final class People {

    static final List<String> TYPES = List.of("Patient", "Practitioner", "RelatedPerson", "Person");
    private static final Pattern REFERENCE = Pattern.compile("(Patient|Practitioner|RelatedPerson|Person)/[A-Za-z0-9.-]{1,64}");
    private static final int MAX = 20;

    private People() {
    }

    /** Up to 20 resources of the type whose name matches, each as "Type/id" with its name and birth date. */
    static List<AdminViews.Choice> find(FhirClient fhir, String type, String name, String selected) {
        if (!TYPES.contains(type)) {
            throw new ConsoleException(400, "Pick a Patient, Practitioner, RelatedPerson or Person.");
        }
        JsonNode bundle = fhir.get("/" + type + "?_count=" + MAX + (name == null || name.isBlank() ? ""
                : "&name=" + Forms.encode(name.trim())));
        List<AdminViews.Choice> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            JsonNode r = e.path("resource");
            if (!type.equals(r.path("resourceType").asText())) {
                continue;
            }
            String ref = type + "/" + r.path("id").asText();
            out.add(new AdminViews.Choice(ref, label(r), ref.equals(selected)));
        }
        return out;
    }

    /** The name of a Patient, Practitioner, ... reference ("Type/id"), or the reference itself when it cannot be read. */
    static String name(FhirClient fhir, String reference) {
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            return reference == null ? "" : reference;
        }
        try {
            return label(fhir.get("/" + reference)) + " (" + reference + ")";
        } catch (ConsoleException e) {
            return reference;
        }
    }

    /** A patient's encounters, newest first, as their ids with date and type. */
    static List<AdminViews.Choice> encounters(FhirClient fhir, String patientId, String selected) {
        JsonNode bundle = fhir.get("/Encounter?patient=" + Forms.encode(patientId) + "&_sort=-date&_count=" + MAX);
        List<AdminViews.Choice> out = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            JsonNode r = e.path("resource");
            String id = r.path("id").asText();
            String when = Summaries.day(r.path("period").path("start").asText(""));
            String what = Summaries.concept(r.path("type"));
            out.add(new AdminViews.Choice(id, (when.isEmpty() ? "" : when + " ") + (what.isEmpty() ? "Encounter "
                    + id : what), id.equals(selected)));
        }
        return out;
    }

    static String label(JsonNode r) {
        String name = Summaries.text(r);
        if (name.isEmpty()) {
            name = r.path("resourceType").asText() + "/" + r.path("id").asText();
        }
        String born = r.path("birthDate").asText("");
        return born.isEmpty() ? name : name + ", born " + born;
    }
}
