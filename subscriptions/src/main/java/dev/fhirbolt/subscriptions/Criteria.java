package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A subscription's search criteria, {@code Observation?code=http://loinc.org|1234-5}: a type and its parameters. */
public record Criteria(String type, Map<String, List<String>> params) {

    public Criteria {
        params = Map.copyOf(params);
    }

    /** Parses {@code Type?query} (or a bare {@code Type}); 400 when it has no resource type. */
    public static Criteria parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        int q = trimmed.indexOf('?');
        String type = q < 0 ? trimmed : trimmed.substring(0, q);
        if (type.startsWith("/")) {
            type = type.substring(1);
        }
        if (type.isEmpty()) {
            throw new FhirException(400, IssueType.INVALID, "Subscription.criteria '" + text
                    + "' names no resource type: write it as a search, e.g. Observation?code=http://loinc.org|1234-5");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : trimmed.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new FhirException(400, IssueType.INVALID, "Subscription.criteria: '" + pair
                            + "' is not name=value");
                }
                params.computeIfAbsent(decode(pair.substring(0, eq)), k -> new ArrayList<>())
                        .add(decode(pair.substring(eq + 1)));
            }
        }
        return new Criteria(type, params);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FhirException(400, IssueType.INVALID, "Subscription.criteria: bad percent-encoding in '" + s
                    + "'");
        }
    }
}
