package dev.fhirbolt.rest;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Query or form parameters in the order given; a name may repeat (AND in search). */
public final class Params {

    public record Param(String name, String value) {
    }

    private final List<Param> params;

    public Params(List<Param> params) {
        this.params = List.copyOf(params);
    }

    public static Params empty() {
        return new Params(List.of());
    }

    /** Parses {@code a=1&b=2} (URL-encoded, '+' as space). */
    public static Params parse(String query) {
        List<Param> list = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return new Params(list);
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            list.add(new Param(decode(name), decode(value)));
        }
        return new Params(list);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw dev.fhirbolt.common.FhirException.invalid("the query string is not valid URL encoding: " + s);
        }
    }

    public List<Param> all() {
        return params;
    }

    public Optional<String> first(String name) {
        return params.stream().filter(p -> p.name.equals(name)).map(Param::value).findFirst();
    }

    public List<String> values(String name) {
        return params.stream().filter(p -> p.name.equals(name)).map(Param::value).toList();
    }

    public boolean has(String name) {
        return params.stream().anyMatch(p -> p.name.equals(name));
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    public Params without(java.util.function.Predicate<String> name) {
        return new Params(params.stream().filter(p -> !name.test(p.name)).toList());
    }

    public Params plus(Params other) {
        List<Param> merged = new ArrayList<>(params);
        merged.addAll(other.params);
        return new Params(merged);
    }

    /** Grouped by name, each name once in first-seen order. */
    public Map<String, List<String>> asMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Param p : params) {
            map.computeIfAbsent(p.name, k -> new ArrayList<>()).add(p.value);
        }
        return Collections.unmodifiableMap(map);
    }

    /** URL-encoded {@code a=1&b=2}, for links. */
    public String toQueryString() {
        return params.stream()
                .map(p -> encode(p.name) + "=" + encode(p.value))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%2C", ",").replace("%7C", "|")
                .replace("%3A", ":").replace("%2F", "/");
    }

    @Override
    public String toString() {
        return toQueryString();
    }
}
