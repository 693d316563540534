package dev.fhirbolt.search.query;

import java.util.Arrays;
import java.util.List;

/** Reads one result parameter into the builder; throws IllegalArgumentException for a bad value. */
final class ResultParamParser {

    private ResultParamParser() {
    }

    static void apply(ResultParams.Builder b, String name, String value) {
        String base = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
        String modifier = name.contains(":") ? name.substring(name.indexOf(':') + 1) : null;
        boolean iterate = "iterate".equals(modifier) || "recurse".equals(modifier);
        switch (base) {
            case "_count" -> b.count = ResultParams.count(value, ResultParams.MAX_COUNT);
            case "_sort" -> {
                for (String key : value.split(",")) {
                    if (!key.isBlank()) {
                        boolean desc = key.startsWith("-");
                        b.sort.add(new ResultParams.SortKey(desc ? key.substring(1) : key, desc));
                    }
                }
            }
            case "_include" -> b.includes.add(ResultParams.IncludeSpec.parse(value, iterate));
            case "_revinclude" -> b.revIncludes.add(ResultParams.IncludeSpec.parse(value, iterate));
            case "_total" -> {
                if (!List.of("none", "estimate", "accurate").contains(value)) {
                    throw new IllegalArgumentException("_total is none, estimate or accurate");
                }
                b.total = value;
            }
            case "_summary" -> b.summary = value;
            case "_elements" -> b.elements = Arrays.stream(value.split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            case "_contained" -> {
                if (!value.equals("false")) {
                    throw new UnsupportedOperationException("_contained=" + value);
                }
            }
            case "_cursor" -> b.cursor = value;
            case "_type" -> {
                for (String t : value.split(",")) {
                    if (!t.isBlank()) {
                        b.types.add(t.trim());
                    }
                }
            }
            default -> {
            }
        }
    }
}
