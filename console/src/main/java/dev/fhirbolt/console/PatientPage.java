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
import java.util.Map;

/**
 * A patient's record at a glance, from {@code $everything}: demographics, conditions, medications, an encounter
 * timeline and vital-signs charts.
 */
final class PatientPage {

    static final String TYPES = "Patient,Condition,MedicationRequest,MedicationStatement,Encounter,Observation";
    private static final int PAGE = 1000;
    private static final int MAX_PAGES = 10;
    private static final int MAX_ENCOUNTERS = 40;

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

    Rendered show(Visit v, String id) {
        if (!ResourcePage.ID.matcher(id).matches()) {
            throw new ConsoleException(400, "Not a patient id: " + id);
        }
        List<JsonNode> all = new ArrayList<>();
        String next = "/Patient/" + id + "/$everything?_type=" + TYPES + "&_count=" + PAGE;
        int pages = 0;
        while (next != null && pages < MAX_PAGES) {
            JsonNode bundle = v.fhir().get(next);
            bundle.path("entry").forEach(e -> all.add(e.path("resource")));
            pages++;
            next = null;
            for (JsonNode link : bundle.path("link")) {
                if (link.path("relation").asText().equals("next")) {
                    String url = link.path("url").asText();
                    next = url.startsWith(v.fhir().baseUrl()) ? url.substring(v.fhir().baseUrl().length()) : null;
                }
            }
        }
        JsonNode patient = all.stream().filter(r -> r.path("resourceType").asText().equals("Patient")
                && r.path("id").asText().equals(id)).findFirst().orElseGet(() -> v.fhir().get("/Patient/" + id));
        List<Views.Item> conditions = new ArrayList<>();
        Map<String, Views.Item> medications = new LinkedHashMap<>();
        List<Views.Item> encounters = new ArrayList<>();
        List<JsonNode> observations = new ArrayList<>();
        all.sort(Comparator.comparing(Summaries::date).reversed());
        for (JsonNode r : all) {
            String type = r.path("resourceType").asText();
            String href = "/console/resource/" + type + "/" + r.path("id").asText();
            switch (type) {
                case "Condition" -> conditions.add(new Views.Item(Summaries.concept(r.path("code")),
                        Summaries.date(r), Summaries.concept(r.path("clinicalStatus")), href));
                case "MedicationRequest", "MedicationStatement" -> {
                    String text = Summaries.concept(r.path("medicationCodeableConcept"));
                    if (text.isEmpty()) {
                        text = r.path("medicationReference").path("display").asText("medication");
                    }
                    medications.putIfAbsent(text, new Views.Item(text, Summaries.date(r),
                            r.path("status").asText(""), href));
                }
                case "Encounter" -> {
                    if (encounters.size() < MAX_ENCOUNTERS) {
                        encounters.add(new Views.Item(Summaries.concept(r.path("type")),
                                Summaries.day(r.path("period").path("start").asText("")),
                                r.path("class").path("code").asText(""), href));
                    }
                }
                case "Observation" -> observations.add(r);
                default -> { }
            }
        }
        JsonNode name = patient.path("name").path(0);
        JsonNode address = patient.path("address").path(0);
        String addressText = address.isMissingNode() ? "" : String.join(", ",
                new ArrayList<>(List.of(String.join(" ", texts(address.path("line"))), address.path("city").asText(""),
                        address.path("state").asText(""), address.path("country").asText("")))
                        .stream().filter(s -> !s.isBlank()).toList());
        JsonNode identifier = patient.path("identifier").path(0);
        return Rendered.page("patient.jte", new Views.Patient(v.frame(name.isMissingNode() ? "Patient " + id
                : Summaries.humanName(name), "search"), id, name.isMissingNode() ? id : Summaries.humanName(name),
                patient.path("gender").asText(""), patient.path("birthDate").asText(""), addressText,
                identifier.path("value").asText(""), conditions, List.copyOf(medications.values()), encounters,
                charts(observations), all.size(), next != null));
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
