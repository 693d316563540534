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
 * and vital-signs charts. The demographics come from the Patient, read before the page is sent, and are painted with
 * its head; the sections come from the server's own {@code Patient/[id]/$everything} (with the user's token, so its
 * scope and compartment checks apply), restricted with {@code _type} to the four types they show and paged 1,000 at a
 * time while the head is painted. The whole record ({@code $everything} and a search per type) is linked from the page.
 */
final class PatientPage {

    private static final int MAX_ENCOUNTERS = 40;
    private static final int MAX_ITEMS = 100;
    /** The newest vital-sign observations charted (all seven codes together). */
    private static final int MAX_VITALS = 1000;
    /** Pages of {@code $everything} read at most (1,000 resources each); a larger record is shown in part. */
    static final int MAX_PAGES = 30;
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
     * The one {@code $everything} call behind the sections, {@code %s} the patient's id: only the four types shown, the
     * largest page the server gives. No {@code _elements}: the server sends stored JSON as it is.
     */
    static final String EVERYTHING = "/Patient/%s/$everything?_type=Condition,MedicationRequest,Encounter,Observation"
            + "&_count=1000";

    /** What the sections are made of: the patient's resources of the four types, and whether that is all of them. */
    record Record(List<JsonNode> resources, long total, boolean refused, String error) {
    }

    Rendered show(Visit v, String id) {
        if (!ResourcePage.ID.matcher(id).matches()) {
            throw new ConsoleException(400, "Not a patient id: " + id);
        }
        CompletableFuture<Record> record = CompletableFuture.supplyAsync(() -> everything(v, id), POOL);
        JsonNode patient = v.fhir().get("/Patient/" + id); // an unknown patient is a 404 page, before streaming
        Views.Demographics demographics = demographics(id, patient);
        return Rendered.streamed(v.frame(demographics.name(), "search"), "patientlead.jte", demographics,
                "patient.jte", () -> view(id, record.join()));
    }

    /** The patient's resources of the four types, from {@code $everything}'s pages (at most {@link #MAX_PAGES}). */
    static Record everything(Visit v, String id) {
        List<JsonNode> out = new ArrayList<>();
        String next = String.format(Locale.ROOT, EVERYTHING, id);
        long total = 0;
        try {
            for (int page = 0; page < MAX_PAGES && next != null; page++) {
                JsonNode bundle = v.fhir().get(next);
                total = bundle.path("total").asLong(total);
                next = null;
                for (JsonNode link : bundle.path("link")) {
                    if (link.path("relation").asText().equals("next")) {
                        next = relative(link.path("url").asText(), v.fhir().baseUrl());
                    }
                }
                for (JsonNode e : bundle.path("entry")) {
                    if (e.path("search").path("mode").asText("match").equals("match")) {
                        out.add(e.path("resource"));
                    }
                }
            }
        } catch (ConsoleException e) {
            return new Record(out, total, e.status() == 403 || e.status() == 401, e.getMessage());
        }
        return new Record(out, next == null ? out.size() : total, false, null);
    }

    /** A link of the server's (absolute, on its base URL) as a path below the base, for the gateway. */
    private static String relative(String url, String base) {
        if (url.startsWith(base)) {
            return url.substring(base.length());
        }
        int at = url.indexOf("/Patient/");
        return at < 0 ? null : url.substring(at);
    }

    private static Views.Demographics demographics(String id, JsonNode patient) {
        JsonNode name = patient.path("name").path(0);
        JsonNode address = patient.path("address").path(0);
        String addressText = address.isMissingNode() ? "" : String.join(", ",
                new ArrayList<>(List.of(String.join(" ", texts(address.path("line"))), address.path("city").asText(""),
                        address.path("state").asText(""), address.path("country").asText("")))
                        .stream().filter(s -> !s.isBlank()).toList());
        JsonNode identifier = patient.path("identifier").path(0);
        return new Views.Demographics(id, name.isMissingNode() ? "Patient " + id : Summaries.humanName(name),
                patient.path("gender").asText(""), patient.path("birthDate").asText(""), addressText,
                identifier.path("value").asText(""));
    }

    /** The page's sections, once {@code $everything} has answered. */
    static Views.Patient view(String id, Record record) {
        List<JsonNode> conditions = new ArrayList<>();
        List<JsonNode> medications = new ArrayList<>();
        List<JsonNode> encounters = new ArrayList<>();
        List<JsonNode> vitals = new ArrayList<>();
        for (JsonNode r : record.resources()) {
            switch (r.path("resourceType").asText()) {
                case "Condition" -> {
                    if (!hasCode(r.path("clinicalStatus"), "resolved")) {
                        conditions.add(r);
                    }
                }
                case "MedicationRequest" -> {
                    if (r.path("status").asText().equals("active")) {
                        medications.add(r);
                    }
                }
                case "Encounter" -> encounters.add(r);
                case "Observation" -> {
                    if (VITALS.stream().anyMatch(vital -> hasCode(r.path("code"), vital.code()))) {
                        vitals.add(r);
                    }
                }
                default -> { }
            }
        }
        List<Views.Item> conditionItems = new ArrayList<>();
        for (JsonNode r : newest(conditions, MAX_ITEMS)) {
            conditionItems.add(new Views.Item(Summaries.concept(r.path("code")), Summaries.date(r),
                    Summaries.concept(r.path("clinicalStatus")), href(r)));
        }
        Map<String, Views.Item> medicationItems = new LinkedHashMap<>();
        for (JsonNode r : newest(medications, MAX_ITEMS)) {
            String text = Summaries.concept(r.path("medicationCodeableConcept"));
            if (text.isEmpty()) {
                text = r.path("medicationReference").path("display").asText("medication");
            }
            medicationItems.putIfAbsent(text, new Views.Item(text, Summaries.date(r), r.path("status").asText(""),
                    href(r)));
        }
        List<JsonNode> sortedEncounters = new ArrayList<>(encounters);
        sortedEncounters.sort(Comparator.comparing((JsonNode r) -> r.path("period").path("start").asText(""))
                .reversed());
        List<Views.Item> encounterItems = new ArrayList<>();
        for (JsonNode r : sortedEncounters.subList(0, Math.min(MAX_ENCOUNTERS, sortedEncounters.size()))) {
            encounterItems.add(new Views.Item(Summaries.concept(r.path("type")),
                    Summaries.day(r.path("period").path("start").asText("")), r.path("class").path("code").asText(""),
                    href(r)));
        }
        List<Views.Link> links = new ArrayList<>();
        links.add(new Views.Link("Everything ($everything)", "/console/fhir/Patient/" + id + "/$everything"));
        for (String type : RECORD) {
            links.add(new Views.Link(type, "/console/search/" + type + "?patient=" + id));
        }
        String note = null;
        if (record.refused()) {
            note = "Your access does not allow this patient's $everything: " + record.error();
        } else if (record.error() != null) {
            note = "The record could not be read whole: " + record.error();
        } else if (record.total() > record.resources().size()) {
            note = "Shown from the first " + record.resources().size() + " of the record's " + record.total()
                    + " conditions, medications, encounters and observations.";
        }
        return new Views.Patient(id, conditionItems, List.copyOf(medicationItems.values()), encounterItems,
                charts(newest(vitals, MAX_VITALS)), links, note);
    }

    /** The newest {@code max} resources by their clinical date, newest first. */
    private static List<JsonNode> newest(List<JsonNode> resources, int max) {
        List<JsonNode> sorted = sortedByDate(resources);
        return sorted.subList(0, Math.min(max, sorted.size()));
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
