package dev.fhirbolt.bench.search;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The typical searches of the search scenarios, drawn with a fixed seed from what the loaded data holds. */
final class SearchQueries {

    static final int POOL = 1024;

    private SearchQueries() {
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** {@code Observation?patient=X&code=Y} for pairs that exist. */
    static List<String> observationsOfPatientWithCode(SyntheaData d, Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            var o = d.observations.get(r.nextInt(d.observations.size()));
            out.add("Observation?patient=" + enc(o.patient()) + "&code=" + enc(o.code()));
        }
        return out;
    }

    /** {@code Patient?name=family}. */
    static List<String> patientsByName(SyntheaData d, Random r) {
        List<String> families = new ArrayList<>(new java.util.TreeMap<>(d.families).values());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            out.add("Patient?name=" + enc(families.get(r.nextInt(families.size()))));
        }
        return out;
    }

    /** {@code Observation?code=Y&date=geD}, D 30 days before the code's latest observation. */
    static List<String> recentObservationsWithCode(SyntheaData d, Random r) {
        Map<String, String> latest = new HashMap<>();
        for (var o : d.observations) {
            latest.merge(o.code(), o.date(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            var o = d.observations.get(r.nextInt(d.observations.size()));
            String from = LocalDate.parse(latest.get(o.code()).substring(0, 10)).minusDays(30).toString();
            out.add("Observation?code=" + enc(o.code()) + "&date=ge" + from);
        }
        return out;
    }

    /** {@code Encounter?patient=X&_include=Encounter:practitioner}. */
    static List<String> encountersWithPractitioners(SyntheaData d, Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            var e = d.encounters.get(r.nextInt(d.encounters.size()));
            out.add("Encounter?patient=" + enc(e.patient()) + "&_include=Encounter:practitioner");
        }
        return out;
    }

    /** {@code Patient?_id=X&_revinclude=Condition:patient}. */
    static List<String> patientWithConditions(SyntheaData d, Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            out.add("Patient?_id=" + enc(d.patients.get(r.nextInt(d.patients.size())))
                    + "&_revinclude=Condition:patient");
        }
        return out;
    }

    /** {@code Observation?patient.family=F&code=Y}: a chain. */
    static List<String> observationsByPatientFamily(SyntheaData d, Random r) {
        List<String> out = new ArrayList<>();
        while (out.size() < POOL) {
            var o = d.observations.get(r.nextInt(d.observations.size()));
            String family = d.families.get(o.patient());
            if (family != null) {
                out.add("Observation?patient.family=" + enc(family) + "&code=" + enc(o.code()));
            }
        }
        return out;
    }

    /** {@code Patient?_has:Condition:patient:code=C}: reverse chaining. */
    static List<String> patientsWithCondition(SyntheaData d, Random r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            var c = d.conditions.get(r.nextInt(d.conditions.size()));
            out.add("Patient?_has:Condition:patient:code=" + enc(c.code()));
        }
        return out;
    }
}
