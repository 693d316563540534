package dev.fhirbolt.console;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Made-up patients for trying the console without Synthea: each with a condition, a medication, encounters and a
 * few years of vital signs (blood pressure, weight, heart rate), as one transaction Bundle a patient. The same seed
 * gives the same patients; their ids start with {@code demo-}.
 */
final class DemoData {

    private static final String[] GIVEN = {"Ada", "Ben", "Carla", "Dmitri", "Elif", "Femi", "Greta", "Hugo", "Ines",
        "Jonas", "Keiko", "Luis", "Mara", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tara"};
    private static final String[] FAMILY = {"Adler", "Berg", "Costa", "Dahl", "Eriksen", "Fischer", "Garcia",
        "Horvat", "Ivanova", "Jansen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov"};
    private static final String[][] CONDITIONS = {{"38341003", "Hypertension"}, {"44054006", "Diabetes mellitus type 2"},
        {"195967001", "Asthma"}, {"55822004", "Hyperlipidemia"}};
    private static final String[][] MEDICATIONS = {{"314076", "Lisinopril 10 MG Oral Tablet"},
        {"860975", "Metformin 500 MG Oral Tablet"}, {"745679", "Albuterol 90 MCG Inhaler"},
        {"617312", "Atorvastatin 20 MG Oral Tablet"}};

    private DemoData() {
    }

    /** One transaction Bundle (JSON) for the patient number {@code n} of the seed. */
    static String patientBundle(long seed, int n) {
        Random rnd = new Random(seed * 1_000_003L + n);
        String pid = "demo-" + seed + "-" + n;
        String given = GIVEN[rnd.nextInt(GIVEN.length)];
        String family = FAMILY[rnd.nextInt(FAMILY.length)];
        boolean female = rnd.nextBoolean();
        LocalDate birth = LocalDate.of(1940 + rnd.nextInt(60), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28));
        int c = rnd.nextInt(CONDITIONS.length);
        List<String> entries = new ArrayList<>();
        entries.add(put("Patient", pid, "{\"resourceType\":\"Patient\",\"id\":\"" + pid + "\",\"name\":[{\"given\":[\""
                + given + "\"],\"family\":\"" + family + "\"}],\"gender\":\"" + (female ? "female" : "male")
                + "\",\"birthDate\":\"" + birth + "\"}"));
        String subject = "\"subject\":{\"reference\":\"Patient/" + pid + "\"}";
        entries.add(put("Condition", pid + "-c", "{\"resourceType\":\"Condition\",\"id\":\"" + pid + "-c\","
                + "\"clinicalStatus\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/condition-clinical\","
                + "\"code\":\"active\"}]},\"code\":{\"coding\":[{\"system\":\"http://snomed.info/sct\",\"code\":\""
                + CONDITIONS[c][0] + "\",\"display\":\"" + CONDITIONS[c][1] + "\"}],\"text\":\"" + CONDITIONS[c][1]
                + "\"}," + subject + ",\"onsetDateTime\":\"2018-0" + (1 + rnd.nextInt(9)) + "-15\"}"));
        entries.add(put("MedicationRequest", pid + "-m", "{\"resourceType\":\"MedicationRequest\",\"id\":\"" + pid
                + "-m\",\"status\":\"active\",\"intent\":\"order\",\"medicationCodeableConcept\":{\"coding\":[{"
                + "\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"" + MEDICATIONS[c][0]
                + "\",\"display\":\"" + MEDICATIONS[c][1] + "\"}],\"text\":\"" + MEDICATIONS[c][1] + "\"}," + subject
                + ",\"authoredOn\":\"2018-10-01\"}"));
        double weight = 55 + rnd.nextInt(45);
        int systolic = 115 + rnd.nextInt(35);
        for (int year = 2019; year <= 2024; year++) {
            String day = year + "-0" + (1 + rnd.nextInt(9)) + "-1" + rnd.nextInt(10);
            String eid = pid + "-e" + year;
            entries.add(put("Encounter", eid, "{\"resourceType\":\"Encounter\",\"id\":\"" + eid + "\",\"status\":"
                    + "\"finished\",\"class\":{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":"
                    + "\"AMB\"},\"type\":[{\"text\":\"Check-up\"}]," + subject + ",\"period\":{\"start\":\"" + day
                    + "T09:00:00Z\",\"end\":\"" + day + "T09:30:00Z\"}}"));
            weight += rnd.nextGaussian() * 2;
            systolic += (int) Math.round(rnd.nextGaussian() * 5);
            entries.add(vital(pid + "-w" + year, subject, eid, day, "29463-7", "Body weight",
                    "{\"value\":" + String.format(Locale.ROOT, "%.1f", weight) + ",\"unit\":\"kg\",\"system\":"
                            + "\"http://unitsofmeasure.org\",\"code\":\"kg\"}", null));
            entries.add(vital(pid + "-h" + year, subject, eid, day, "8867-4", "Heart rate",
                    "{\"value\":" + (60 + rnd.nextInt(30)) + ",\"unit\":\"/min\",\"system\":\"http://unitsofmeasure.org\","
                            + "\"code\":\"/min\"}", null));
            entries.add(vital(pid + "-bp" + year, subject, eid, day, "85354-9", "Blood pressure", null,
                    "[" + component("8480-6", systolic) + "," + component("8462-4", systolic - 40 + rnd.nextInt(10))
                            + "]"));
        }
        return "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    /** Resources in one patient's Bundle. */
    static int resourcesPerPatient() {
        return 3 + 6 * 4;
    }

    private static String vital(String id, String subject, String encounter, String day, String code, String text,
            String quantity, String components) {
        return put("Observation", id, "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"status\":\"final\","
                + "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
                + "\"code\":\"vital-signs\"}]}],\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code
                + "\",\"display\":\"" + text + "\"}],\"text\":\"" + text + "\"}," + subject + ",\"encounter\":{"
                + "\"reference\":\"Encounter/" + encounter + "\"},\"effectiveDateTime\":\"" + day + "T09:10:00Z\""
                + (quantity == null ? "" : ",\"valueQuantity\":" + quantity)
                + (components == null ? "" : ",\"component\":" + components) + "}");
    }

    private static String component(String code, int value) {
        return "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]},\"valueQuantity\":"
                + "{\"value\":" + value + ",\"unit\":\"mm[Hg]\",\"system\":\"http://unitsofmeasure.org\",\"code\":"
                + "\"mm[Hg]\"}}";
    }

    private static String put(String type, String id, String resource) {
        return "{\"resource\":" + resource + ",\"request\":{\"method\":\"PUT\",\"url\":\"" + type + "/" + id + "\"}}";
    }
}
