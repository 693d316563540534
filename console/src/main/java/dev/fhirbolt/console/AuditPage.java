package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code /console/admin/audit}: the audit trail filtered by patient, agent, date range and outcome, the events over
 * time as a bar chart and the newest events as a table. Searched through the FHIR API ({@code AuditEvent?}) with the
 * credential {@link AuditTokens} gives.
 */
final class AuditPage {

    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9.-]{1,64}");
    private static final int FETCH = 1000;
    private static final int SHOWN = 100;
    private static final List<String[]> OUTCOMES = List.of(new String[] {"", "Any outcome"},
            new String[] {"0", "Success"}, new String[] {"4", "Minor failure (refused)"},
            new String[] {"8", "Serious failure"}, new String[] {"12", "Major failure"});

    private final FhirGateway gateway;
    private final AuditTokens tokens;

    AuditPage(FhirGateway gateway, AuditTokens tokens) {
        this.gateway = gateway;
        this.tokens = tokens;
    }

    Rendered show(Visit v) {
        String patient = trim(v.param("patient"));
        String agent = trim(v.param("agent"));
        String from = trim(v.param("from"));
        String to = trim(v.param("to"));
        String outcome = trim(v.param("outcome"));
        StringBuilder q = new StringBuilder("_sort=-date&_count=" + FETCH);
        String error = null;
        if (!patient.isEmpty()) {
            String ref = patient.startsWith("Patient/") ? patient : "Patient/" + patient;
            if (!ID.matcher(ref.substring(8)).matches()) {
                error = "The patient is a Patient id, e.g. Patient/123.";
            }
            q.append("&patient=").append(Forms.encode(ref));
        }
        if (!agent.isEmpty()) {
            q.append(agent.contains("/") ? "&agent=" : "&agent-name:contains=").append(Forms.encode(agent));
        }
        for (String[] d : new String[][] {{from, "ge"}, {to, "le"}}) {
            if (!d[0].isEmpty()) {
                if (!DAY.matcher(d[0]).matches()) {
                    error = "Dates are days like 2026-12-07.";
                }
                q.append("&date=").append(d[1]).append(d[0]);
            }
        }
        if (!outcome.isEmpty()) {
            q.append("&outcome=").append(Forms.encode(outcome));
        }
        List<AdminViews.AuditRow> rows = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        boolean more = false;
        String authorization = null;
        if (error == null) {
            try {
                authorization = tokens.authorization(v.fhir().baseUrl());
            } catch (RuntimeException e) {
                error = "The console cannot read the audit trail: " + e.getMessage();
            }
        }
        if (error == null) {
            FhirGateway.Reply r = gateway.exchange(FhirGateway.Call.get("/AuditEvent?" + q, v.fhir().baseUrl(),
                    authorization));
            JsonNode bundle = JsonTexts.parse(r.body());
            if (r.status() >= 400) {
                error = "The audit trail could not be searched: " + FhirClient.outcomeText(bundle, r.status());
            } else {
                for (JsonNode e : bundle.path("entry")) {
                    JsonNode ev = e.path("resource");
                    if (!"AuditEvent".equals(ev.path("resourceType").asText())) {
                        continue;
                    }
                    Instant at = PatientPage.instant(ev.path("recorded").asText(""));
                    if (at != null) {
                        times.add(at);
                    }
                    if (rows.size() < SHOWN) {
                        rows.add(row(ev));
                    }
                }
                more = times.size() > SHOWN;
            }
        }
        List<AdminViews.Choice> outcomes = new ArrayList<>();
        for (String[] o : OUTCOMES) {
            outcomes.add(new AdminViews.Choice(o[0], o[1], o[0].equals(outcome)));
        }
        String title = times.isEmpty() ? "No events" : times.size() + " events" + (times.size() >= FETCH
                ? " (the newest " + FETCH + ")" : "") + " over time";
        return new Rendered(error == null ? 200 : 400, "admin-audit.jte", new AdminViews.Audit(v.frame("Audit trail",
                "admin"), patient, agent, from, to, outcome, outcomes, "AuditEvent?" + q, BarChart.svg(title,
                        buckets(times)), title, rows, more, error), null);
    }

    /** Events per hour when they span two days at most, else per day, oldest first, empty buckets included. */
    static List<BarChart.Bar> buckets(List<Instant> times) {
        if (times.isEmpty()) {
            return List.of();
        }
        Instant min = times.stream().min(Instant::compareTo).orElseThrow();
        Instant max = times.stream().max(Instant::compareTo).orElseThrow();
        ChronoUnit unit = ChronoUnit.HOURS.between(min, max) <= 48 ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        Map<Instant, Integer> counts = new TreeMap<>();
        Instant start = min.truncatedTo(unit);
        for (Instant t = start; !t.isAfter(max); t = t.plus(1, unit)) {
            counts.put(t, 0);
            if (counts.size() > 400) {
                break;
            }
        }
        for (Instant t : times) {
            counts.merge(t.truncatedTo(unit), 1, Integer::sum);
        }
        List<BarChart.Bar> bars = new ArrayList<>();
        counts.forEach((t, n) -> bars.add(new BarChart.Bar(unit == ChronoUnit.HOURS
                ? GrantPages.minute(t.toString()) : t.toString().substring(0, 10), n)));
        return bars;
    }

    private static AdminViews.AuditRow row(JsonNode ev) {
        String type = ev.path("subtype").path(0).path("display").asText(ev.path("subtype").path(0).path("code")
                .asText(ev.path("type").path("display").asText(ev.path("type").path("code").asText(""))));
        List<String> agents = new ArrayList<>();
        for (JsonNode a : ev.path("agent")) {
            String who = a.path("who").path("reference").asText(a.path("who").path("display")
                    .asText(a.path("name").asText(a.path("who").path("identifier").path("value").asText(""))));
            if (!who.isEmpty() && !agents.contains(who)) {
                agents.add(who);
            }
        }
        String patient = "";
        for (JsonNode en : ev.path("entity")) {
            String ref = en.path("what").path("reference").asText("");
            if (ref.startsWith("Patient/")) {
                patient = ref;
                break;
            }
        }
        String outcome = switch (ev.path("outcome").asText("")) {
            case "0" -> "success";
            case "4" -> "refused";
            case "8" -> "failed";
            case "12" -> "major failure";
            default -> ev.path("outcome").asText("");
        };
        return new AdminViews.AuditRow(ev.path("id").asText(), GrantPages.minute(ev.path("recorded").asText("")) ,
                type, ev.path("action").asText(""), outcome, String.join(", ", agents), patient);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }
}
