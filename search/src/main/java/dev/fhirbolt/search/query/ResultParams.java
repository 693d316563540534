package dev.fhirbolt.search.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The result parameters of a search (_count, _sort, _include, _total, ...), separate from the filters. */
public record ResultParams(int count, List<SortKey> sort, List<IncludeSpec> includes, List<IncludeSpec> revIncludes,
        String total, Optional<String> summary, Optional<List<String>> elements, Optional<String> cursor,
        List<String> types) {

    public static final int DEFAULT_COUNT = 50;
    public static final int MAX_COUNT = 1000;
    /**
     * _total when the client sent none: exact when counting takes at most {@code MatchCounter.DEFAULT_BUDGET}
     * candidates beyond the page, otherwise left out.
     */
    public static final String TOTAL_UNSPECIFIED = "";

    /** Names handled here, never treated as filters. */
    public static final Set<String> NAMES = Set.of("_count", "_sort", "_include", "_revinclude", "_total", "_summary",
            "_elements", "_contained", "_containedType", "_cursor", "_format", "_pretty", "_type");

    /**
     * A _count value: a whole number of 0 or more, at most {@code max} (a larger one is lowered to it, as the spec
     * allows); IllegalArgumentException, saying so, for anything else.
     */
    public static int count(String value, int max) {
        int count;
        try {
            count = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            count = value.trim().matches("\\d+") ? Integer.MAX_VALUE : -1;
        }
        if (count < 0) {
            throw new IllegalArgumentException("_count must be a whole number of 0 or more, got '" + value + "'");
        }
        return Math.min(count, max);
    }

    /** One _sort key: parameter code and direction. */
    public record SortKey(String code, boolean descending) {
    }

    /** _include / _revinclude: Source:param[:Target], or "*", iterating when asked. */
    public record IncludeSpec(String source, String param, String target, boolean iterate) {

        static IncludeSpec parse(String value, boolean iterate) {
            if (value.equals("*")) {
                return new IncludeSpec("*", "*", null, iterate);
            }
            String[] parts = value.split(":");
            if (parts.length < 2 || parts.length > 3) {
                throw new IllegalArgumentException("_include needs Type:parameter[:TargetType], got " + value);
            }
            return new IncludeSpec(parts[0], parts[1], parts.length == 3 ? parts[2] : null, iterate);
        }
    }

    public static boolean isResultParam(String name) {
        int colon = name.indexOf(':');
        return NAMES.contains(colon < 0 ? name : name.substring(0, colon));
    }

    /** Builder filled from the request's result parameters. */
    public static final class Builder {
        int count = DEFAULT_COUNT;
        final List<SortKey> sort = new ArrayList<>();
        final List<IncludeSpec> includes = new ArrayList<>();
        final List<IncludeSpec> revIncludes = new ArrayList<>();
        String total = ResultParams.TOTAL_UNSPECIFIED;
        String summary;
        List<String> elements;
        String cursor;
        final List<String> types = new ArrayList<>();

        public Builder() {
        }

        public void apply(String name, String value) {
            ResultParamParser.apply(this, name, value);
        }

        public ResultParams build() {
            return new ResultParams(count, List.copyOf(sort), List.copyOf(includes), List.copyOf(revIncludes), total,
                    Optional.ofNullable(summary), Optional.ofNullable(elements), Optional.ofNullable(cursor),
                    List.copyOf(types));
        }
    }
}
