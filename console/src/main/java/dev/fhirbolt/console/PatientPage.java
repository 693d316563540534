package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A patient's record at a glance: demographics, conditions not resolved, active medications, the newest encounters
 * and vital-signs charts. Each section is one targeted search, run side by side with {@code _count}, {@code _sort} and
 * {@code _elements}, so the page costs the same for a patient with ten resources as for one with ten thousand; the
 * whole record ({@code $everything} and a search per type) is linked from the page.
 */
final class PatientPage {

    private static final int MAX_ENCOUNTERS = 40;
    private static final int MAX_ITEMS = 100;
    /** The newest vital-sign observations charted (all seven codes together). */
    private static final int MAX_VITALS = 1000;
    private static final java.util.concurrent.ExecutorService POOL =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    /** The types linked as "the whole record", each a search of the patient's resources. */
    private static final List<String> RECORD = List.of("Condition", "MedicationRequest", "Encounter", "Observation",
            "Procedure", "Immunization", "DiagnosticReport", "AllergyIntolerance", "CarePlan", "Claim");

    /** The vital signs charted, by LOINC code: title and, for panels, the component codes. */
    private record Vital(String title, String code, String[] components, String[] names) {
    }

    private static final List<Vital> VITALS = List.of(
            new Vital("Blood pressure", "85354-9", new String[] {"8480-6", "8462-4"},
                    new String[] {"Systolic", "Diastolic"}),
            new Vital("Body weight", "29463-7", null, null),
            new Vital("Body mass index", "39156-5", null, null),
            new Vital("Heart rate", "8867-4", null, null),
            new Vital("Body height", "8302-2", null, null),
            new Vital("Respiratory rate", "9279-1", null, null),
            new Vital("Body temperature", "8310-5", null, null));

    /**
     * The searches behind the sections, {@code %s} the patient's id. No {@code _elements}: the server sends stored
     * JSON as it is, but re-encodes every resource to leave elements out, which costs more than it saves.
     */
    static final String CONDITIONS = "/Condition?patient=%s&clinical-status:not=resolved&_count=" + MAX_ITEMS
            + "&_total=none";
    static final String MEDICATIONS = "/MedicationRequest?patient=%s&status=active&_count=" + MAX_ITEMS
            + "&_total=none";
    static final String ENCOUNTERS = "/Encounter?patient=%s&_sort=-date&_count=" + MAX_ENCOUNTERS + "&_total=none";
    /** In id order (no sort to pay for) when they fit in a page, else the newest ({@link #NEWEST_VITAL_SIGNS}). */
    static final String VITAL_SIGNS = "/Observation?patient=%s&code="
            + String.join(",", VITALS.stream().map(Vital::code).toList()) + "&_count=" + MAX_VITALS + "&_total=none";
    static final String NEWEST_VITAL_SIGNS = VITAL_SIGNS + "&_sort=-date";

    Rendered show(Visit v, String id) {
        if (!ResourcePage.ID.matcher(id).matches()) {
            throw new ConsoleException(400, "Not a patient id: " + id);
        }
        var conditions = section(v, CONDITIONS, id);
        var medications = section(v, MEDICATIONS, id);
        var encounters = section(v, ENCOUNTERS, id);
        var vitals = vitalSigns(v, id);
        JsonNode patient = v.fhir().get("/Patient/" + id); // an unknown patient is a 404 page, before streaming
        JsonNode name = patient.path("name").path(0);
        String title = name.isMissingNode() ? "Patient " + id : Summaries.humanName(name);
        return Rendered.streamed(v.frame(title, "search"), "patient.jte", () -> view(id, patient, conditions,
                medications, encounters, vitals));
    }

    /** The page's view, once the sections' searches have answered. */
    private static Views.Patient view(String id, JsonNode patient, CompletableFuture<List<JsonNode>> conditions,
            CompletableFuture<List<JsonNode>> medications, CompletableFuture<List<JsonNode>> encounters,
            CompletableFuture<List<JsonNode>> vitals) {
        List<String> refused = new ArrayList<>();
        List<Views.Item> conditionItems = new ArrayList<>();
        for (JsonNode r : sortedByDate(rows(conditions, refused, "conditions"))) {
            conditionItems.add(new Views.Item(Summaries.concept(r.path("code")), Summaries.date(r),
                    Summaries.concept(r.path("clinicalStatus")), href(r)));
        }
        Map<String, Views.Item> medicationItems = new LinkedHashMap<>();
        for (JsonNode r : sortedByDate(rows(medications, refused, "medications"))) {
            String text = Summaries.concept(r.path("medicationCodeableConcept"));
            if (text.isEmpty()) {
                text = r.path("medicationReference").path("display").asText("medication");
            }
            medicationItems.putIfAbsent(text, new Views.Item(text, Summaries.date(r), r.path("status").asText(""),
                    href(r)));
        }
        List<Views.Item> encounterItems = new ArrayList<>();
        for (JsonNode r : rows(encounters, refused, "encounters")) {
            encounterItems.add(new Views.Item(Summaries.concept(r.path("type")),
                    Summaries.day(r.path("period").path("start").asText("")), r.path("class").path("code").asText(""),
                    href(r)));
        }
        List<Views.Link> record = new ArrayList<>();
        record.add(new Views.Link("Everything ($everything)", "/console/fhir/Patient/" + id + "/$everything"));
        for (String type : RECORD) {
            record.add(new Views.Link(type, "/console/search/" + type + "?patient=" + id));
        }
        JsonNode name = patient.path("name").path(0);
        JsonNode address = patient.path("address").path(0);
        String addressText = address.isMissingNode() ? "" : String.join(", ",
                new ArrayList<>(List.of(String.join(" ", texts(address.path("line"))), address.path("city").asText(""),
                        address.path("state").asText(""), address.path("country").asText("")))
                        .stream().filter(s -> !s.isBlank()).toList());
        JsonNode identifier = patient.path("identifier").path(0);
        return new Views.Patient(id, name.isMissingNode() ? id : Summaries.humanName(name),
                patient.path("gender").asText(""), patient.path("birthDate").asText(""), addressText,
                identifier.path("value").asText(""), conditionItems, List.copyOf(medicationItems.values()),
                encounterItems, charts(rows(vitals, refused, "vital signs")), record, refused);
    }

    /** One section's search, started now on a virtual thread. */
    private static CompletableFuture<List<JsonNode>> section(Visit v, String query, String id) {
        return CompletableFuture.supplyAsync(() -> entries(v.fhir().get(String.format(Locale.ROOT, query, id))),
                POOL);
    }

    /** The vital signs: all of them when one page holds them, else the newest page. */
    private static CompletableFuture<List<JsonNode>> vitalSigns(Visit v, String id) {
        return CompletableFuture.supplyAsync(() -> {
            JsonNode bundle = v.fhir().get(String.format(Locale.ROOT, VITAL_SIGNS, id));
            boolean more = false;
            for (JsonNode link : bundle.path("link")) {
                more |= link.path("relation").asText().equals("next");
            }
            return entries(more ? v.fhir().get(String.format(Locale.ROOT, NEWEST_VITAL_SIGNS, id)) : bundle);
        }, POOL);
    }

    private static List<JsonNode> entries(JsonNode bundle) {
        List<JsonNode> out = new ArrayList<>();
        bundle.path("entry").forEach(e -> out.add(e.path("resource")));
        return out;
    }

    /** A section's resources; a refused search (scopes) leaves it empty and is named in {@code refused}. */
    private static List<JsonNode> rows(CompletableFuture<List<JsonNode>> section, List<String> refused, String name) {
        try {
            return section.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof ConsoleException) {
                refused.add(name);
                return List.of();
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static List<JsonNode> sortedByDate(List<JsonNode> resources) {
        List<JsonNode> sorted = new ArrayList<>(resources);
        sorted.sort(Comparator.comparing(Summaries::date).reversed());
        return sorted;
    }

    private static String href(JsonNode r) {
        return "/console/resource/" + r.path("resourceType").asText() + "/" + r.path("id").asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<Views.Chart> charts(List<JsonNode> observations) {
        List<Views.Chart> charts = new ArrayList<>();
        for (Vital vital : VITALS) {
            List<LineChart.Series> series = new ArrayList<>();
            if (vital.components() == null) {
                series.add(series(vital.title(), observations, vital.code(), null));
            } else {
                for (int i = 0; i < vital.components().length; i++) {
                    series.add(series(vital.names()[i], observations, vital.code(), vital.components()[i]));
                }
            }
            series.removeIf(s -> s.points().isEmpty());
            if (series.isEmpty()) {
                continue;
            }
            StringBuilder latest = new StringBuilder();
            for (LineChart.Series s : series) {
                LineChart.Point last = s.points().get(s.points().size() - 1);
                latest.append(latest.isEmpty() ? "" : "/").append(LineChart.number(last.value()));
            }
            latest.append(' ').append(series.get(0).unit());
            charts.add(new Views.Chart(vital.title(), latest.toString(), LineChart.svg(vital.title(), series)));
        }
        return charts;
    }

    private static LineChart.Series series(String name, List<JsonNode> observations, String code, String component) {
        List<LineChart.Point> points = new ArrayList<>();
        String unit = "";
        for (JsonNode o : observations) {
            if (!hasCode(o.path("code"), code)) {
                continue;
            }
            Instant at = instant(o.path("effectiveDateTime").asText(""));
            JsonNode quantity = o.path("valueQuantity");
            if (component != null) {
                quantity = null;
                for (JsonNode c : o.path("component")) {
                    if (hasCode(c.path("code"), component)) {
                        quantity = c.path("valueQuantity");
                    }
                }
            }
            if (at != null && quantity != null && quantity.path("value").isNumber()) {
                points.add(new LineChart.Point(at, quantity.path("value").asDouble()));
                unit = quantity.path("unit").asText(quantity.path("code").asText(""));
            }
        }
        points.sort(Comparator.comparing(LineChart.Point::at));
        return new LineChart.Series(name, unit, points);
    }

    private static boolean hasCode(JsonNode concept, String code) {
        for (JsonNode coding : concept.path("coding")) {
            if (code.equals(coding.path("code").asText())) {
                return true;
            }
        }
        return false;
    }

    static Instant instant(String dateTime) {
        try {
            if (dateTime.length() == 10) {
                return LocalDate.parse(dateTime).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(dateTime).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
