package dev.fhirbolt.bench;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Makes small, realistic and varied R4 resources as compact JSON: Patients with names, identifiers, telecom and
 * addresses, and Observations (vital signs and common lab results with LOINC codes and UCUM units). A seed fixes the
 * sequence, so runs are comparable. Bodies are generated before the load starts, never during it.
 */
public final class ResourceFactory {

    private static final String[] GIVEN_F = {"Maria", "Anna", "Sofia", "Emma", "Olivia", "Aisha", "Mei", "Fatima",
        "Ingrid", "Lucia", "Chloe", "Amara", "Yuki", "Elena", "Grace"};
    private static final String[] GIVEN_M = {"James", "Liam", "Noah", "Mateo", "Omar", "Wei", "Lukas", "Ravi",
        "Kwame", "Jonas", "Diego", "Hiroshi", "Samuel", "Ivan", "Arjun"};
    private static final String[] FAMILY = {"Smith", "Garcia", "Müller", "Nguyen", "Okafor", "Rossi", "Kowalski",
        "Haddad", "Johansson", "Tanaka", "Silva", "Dubois", "O'Brien", "Patel", "Kim", "Novak"};
    private static final String[][] PLACES = {{"Springfield", "MA", "01101"}, {"Riverton", "WY", "82501"},
        {"Fairview", "OR", "97024"}, {"Greenville", "SC", "29601"}, {"Madison", "WI", "53703"},
        {"Franklin", "TN", "37064"}, {"Salem", "OR", "97301"}, {"Clinton", "IA", "52732"}};
    private static final String[] STREETS = {"Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Lake Rd",
        "Hillcrest Way", "Park Blvd"};

    /** A quantity-valued observation: LOINC code, display, UCUM unit, range and decimals. */
    private record Measure(String code, String display, String unit, double low, double high, int decimals,
            String category) {
    }

    private static final List<Measure> MEASURES = List.of(
            new Measure("8867-4", "Heart rate", "/min", 48, 120, 0, "vital-signs"),
            new Measure("9279-1", "Respiratory rate", "/min", 10, 24, 0, "vital-signs"),
            new Measure("8310-5", "Body temperature", "Cel", 35.8, 39.2, 1, "vital-signs"),
            new Measure("29463-7", "Body weight", "kg", 45, 130, 1, "vital-signs"),
            new Measure("8302-2", "Body height", "cm", 150, 198, 1, "vital-signs"),
            new Measure("39156-5", "Body mass index (BMI) [Ratio]", "kg/m2", 17, 38, 1, "vital-signs"),
            new Measure("2708-6", "Oxygen saturation in Arterial blood", "%", 90, 100, 0, "vital-signs"),
            new Measure("2339-0", "Glucose [Mass/volume] in Blood", "mg/dL", 65, 220, 0, "laboratory"),
            new Measure("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 4.5, 10.5, 1, "laboratory"),
            new Measure("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", 120, 290, 0,
                    "laboratory"));

    private final SplittableRandom random;
    private long serial;

    public ResourceFactory(long seed) {
        this.random = new SplittableRandom(seed);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    private static String json(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A Patient with a medical record number, a name, gender, birth date, phone and address. */
    public String patient() {
        boolean female = random.nextBoolean();
        String given = pick(female ? GIVEN_F : GIVEN_M);
        String family = pick(FAMILY);
        LocalDate born = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(365 * 93));
        String[] place = PLACES[random.nextInt(PLACES.length)];
        long mrn = ++serial;
        StringBuilder sb = new StringBuilder(640);
        sb.append("{\"resourceType\":\"Patient\",")
                .append("\"identifier\":[{\"use\":\"usual\",\"type\":{\"coding\":[{\"system\":")
                .append("\"http://terminology.hl7.org/CodeSystem/v2-0203\",\"code\":\"MR\"}]},")
                .append("\"system\":\"http://hospital.example.org/mrn\",\"value\":\"MRN")
                .append(digits(6)).append(mrn).append("\"}],")
                .append("\"active\":true,")
                .append("\"name\":[{\"use\":\"official\",\"family\":").append(json(family))
                .append(",\"given\":[").append(json(given));
        if (random.nextInt(3) == 0) {
            sb.append(',').append(json(pick(female ? GIVEN_F : GIVEN_M)));
        }
        sb.append("]}],")
                .append("\"telecom\":[{\"system\":\"phone\",\"value\":\"555-").append(digits(3)).append('-')
                .append(digits(4)).append("\",\"use\":\"").append(random.nextBoolean() ? "home" : "mobile")
                .append("\"}],")
                .append("\"gender\":\"").append(female ? "female" : "male").append("\",")
                .append("\"birthDate\":\"").append(born).append("\",")
                .append("\"address\":[{\"use\":\"home\",\"line\":[")
                .append(json((1 + random.nextInt(9900)) + " " + pick(STREETS)))
                .append("],\"city\":").append(json(place[0])).append(",\"state\":").append(json(place[1]))
                .append(",\"postalCode\":").append(json(place[2])).append(",\"country\":\"US\"}]}");
        return sb.toString();
    }

    /** An Observation (vital sign or lab result) about {@code subject}, e.g. {@code Patient/123}. */
    public String observation(String subject) {
        Measure m = MEASURES.get(random.nextInt(MEASURES.size()));
        double value = m.low() + random.nextDouble() * (m.high() - m.low());
        String formatted = String.format(Locale.ROOT, "%." + m.decimals() + "f", value);
        String when = LocalDateTime.of(2015, 1, 1, 0, 0).plusMinutes(random.nextInt(60 * 24 * 365 * 10))
                .atOffset(ZoneOffset.UTC).toString();
        if (when.length() == "2015-01-01T00:00Z".length()) { // no seconds printed: FHIR wants them
            when = when.substring(0, when.length() - 1) + ":00Z";
        }
        String categoryDisplay = m.category().equals("vital-signs") ? "Vital Signs" : "Laboratory";
        return "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"" + m.category()
                + "\",\"display\":\"" + categoryDisplay + "\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"" + m.code()
                + "\",\"display\":" + json(m.display()) + "}],\"text\":" + json(m.display()) + "},"
                + "\"subject\":{\"reference\":" + json(subject) + "},"
                + "\"effectiveDateTime\":\"" + when + "\",\"issued\":\"" + when + "\","
                + "\"valueQuantity\":{\"value\":" + formatted + ",\"unit\":" + json(m.unit())
                + ",\"system\":\"http://unitsofmeasure.org\",\"code\":" + json(m.unit()) + "}}";
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
