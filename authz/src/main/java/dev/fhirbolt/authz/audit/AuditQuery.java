package dev.fhirbolt.authz.audit;

import dev.fhirbolt.search.index.DateRange;
import dev.fhirbolt.search.query.Prefix;
import dev.fhirbolt.search.query.ResultParams;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An {@code AuditEvent?} search as the audit log answers it: the clauses (AND'ed; a clause's comma-separated values
 * OR'ed), each a test on an event's content ({@link AuditFields}), the time range the date clauses allow (the log's
 * key order answers it), at most one index term to read instead of the whole range, and the result parameters.
 * Parameters it does not know (or modifiers it does not support) are listed in {@link #unknown}, as the search
 * engine does for other types.
 */
final class AuditQuery {

    /** The search parameters the audit log answers, with their types, for the CapabilityStatement. */
    static final Map<String, String> PARAMETERS = parameters();

    private static final List<String> RESULT_PARAMS = List.of("_count", "_sort", "_total", "_cursor", "_summary",
            "_elements", "_format", "_pretty");

    final List<Predicate<AuditStore.Event>> clauses = new ArrayList<>();
    final List<String> unknown = new ArrayList<>();
    /** The parameters used, in request order, for the self link. */
    final Map<String, List<String>> self = new LinkedHashMap<>();
    long fromMillis = Long.MIN_VALUE;
    long toMillis = Long.MAX_VALUE;
    /** An index term every match has (read that term's entries instead of every event in the time range). */
    Optional<String> term = Optional.empty();
    /** _id: the only events that can match. */
    Optional<List<byte[]>> ids = Optional.empty();
    boolean descending;
    int count = ResultParams.DEFAULT_COUNT;
    String total = ResultParams.TOTAL_UNSPECIFIED;
    boolean countOnly;
    Optional<byte[]> after = Optional.empty();

    private static Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("_id", "token");
        p.put("_lastUpdated", "date");
        p.put("date", "date");
        p.put("agent", "reference");
        p.put("patient", "reference");
        p.put("entity", "reference");
        p.put("source", "reference");
        p.put("type", "token");
        p.put("subtype", "token");
        p.put("action", "token");
        p.put("outcome", "token");
        p.put("agent-name", "string");
        p.put("altid", "string");
        p.put("address", "string");
        p.put("site", "token");
        return p;
    }

    /** Reads the parameters; throws IllegalArgumentException for a bad value. */
    static AuditQuery parse(Map<String, List<String>> params) {
        AuditQuery q = new AuditQuery();
        params.forEach((name, values) -> values.forEach(v -> q.add(name, v)));
        return q;
    }

    private void add(String name, String value) {
        int colon = name.indexOf(':');
        String base = colon < 0 ? name : name.substring(0, colon);
        String modifier = colon < 0 ? null : name.substring(colon + 1);
        if (RESULT_PARAMS.contains(base) && modifier == null) {
            result(base, value);
            return;
        }
        Predicate<AuditStore.Event> clause = clause(base, modifier, value);
        if (clause == null) {
            unknown.add(name);
            return;
        }
        clauses.add(clause);
        self.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    private void result(String name, String value) {
        switch (name) {
            case "_count" -> count = ResultParams.count(value, ResultParams.MAX_COUNT);
            case "_sort" -> descending = switch (value) {
                case "date", "_lastUpdated" -> false;
                case "-date", "-_lastUpdated" -> true;
                default -> throw new IllegalArgumentException(
                        "AuditEvent searches sort by date (_sort=date or _sort=-date) only, got " + value);
            };
            case "_total" -> {
                if (!List.of("none", "estimate", "accurate").contains(value)) {
                    throw new IllegalArgumentException("_total is none, estimate or accurate");
                }
                total = value;
            }
            case "_summary" -> countOnly = value.equals("count");
            case "_cursor" -> {
                after = AuditKeys.fromId(value);
                if (after.isEmpty()) {
                    throw new IllegalArgumentException("not a _cursor of an AuditEvent search: " + value);
                }
                return;
            }
            default -> {
            }
        }
        self.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    /** The test of one parameter; null for one this log does not answer. */
    private Predicate<AuditStore.Event> clause(String base, String modifier, String value) {
        List<String> alternatives = Arrays.asList(value.split(","));
        return switch (base) {
            case "_id" -> modifier != null ? null : ids(alternatives);
            case "date", "_lastUpdated" -> modifier != null ? null : date(alternatives);
            case "agent" -> "identifier".equals(modifier)
                    ? identifiers("agent:identifier", alternatives, AuditFields::agentIdentifiers)
                    : modifier != null ? null : references("agent", null, alternatives, AuditFields::agentReferences);
            case "patient" -> modifier != null ? null
                    : references("patient", "Patient", alternatives, AuditFields::patients);
            case "entity" -> modifier != null ? null : references("entity", null, alternatives, AuditFields::entities);
            case "source" -> modifier != null ? null : e -> false; // the observer has a display only, no reference
            case "type" -> modifier != null ? null : tokens(alternatives, AuditFields::type);
            case "subtype" -> modifier != null ? null : tokens(alternatives, AuditFields::subtype);
            case "action" -> modifier != null ? null : tokens(alternatives, AuditFields::action);
            case "outcome" -> modifier != null ? null : tokens(alternatives, AuditFields::outcome);
            case "site" -> modifier != null ? null : tokens(alternatives,
                    c -> List.of(new AuditFields.Code(null, c.site())));
            case "agent-name", "altid" -> strings(modifier, alternatives, AuditFields::agentNames);
            case "address" -> strings(modifier, alternatives, AuditFields::addresses);
            default -> null;
        };
    }

    private Predicate<AuditStore.Event> ids(List<String> alternatives) {
        List<byte[]> keys = new ArrayList<>();
        for (String id : alternatives) {
            AuditKeys.fromId(id.trim()).ifPresent(keys::add);
        }
        ids = Optional.of(ids.map(known -> known.stream().filter(k -> keys.stream().anyMatch(
                x -> Arrays.equals(x, k))).toList()).orElse(keys));
        return e -> keys.stream().anyMatch(k -> Arrays.equals(k, e.timeKey()));
    }

    private Predicate<AuditStore.Event> date(List<String> alternatives) {
        List<Predicate<Long>> tests = new ArrayList<>();
        for (String raw : alternatives) {
            Prefix.Prefixed p = Prefix.parse(raw.trim());
            DateRange r = DateRange.parse(p.value());
            long lo = r.low();
            long hi = r.high();
            if (p.prefix() == Prefix.AP) {
                long margin = Math.abs(System.currentTimeMillis() - lo) / 10;
                lo -= margin;
                hi += margin;
            }
            long from = lo;
            long to = hi;
            Predicate<Long> test = switch (p.prefix()) {
                case EQ, AP -> t -> t >= from && t <= to;
                case NE -> t -> t < from || t > to;
                case GT, SA -> t -> t > to;
                case LT, EB -> t -> t < from;
                case GE -> t -> t >= from;
                case LE -> t -> t <= to;
            };
            tests.add(test);
            if (alternatives.size() == 1) {
                switch (p.prefix()) {
                    case EQ, AP -> narrow(from, to);
                    case GT, SA -> narrow(to + 1, Long.MAX_VALUE);
                    case LT, EB -> narrow(Long.MIN_VALUE, from - 1);
                    case GE -> narrow(from, Long.MAX_VALUE);
                    case LE -> narrow(Long.MIN_VALUE, to);
                    case NE -> {
                    }
                }
            }
        }
        return e -> {
            long t = AuditKeys.millis(e.timeKey());
            return tests.stream().anyMatch(test -> test.test(t));
        };
    }

    private void narrow(long from, long to) {
        fromMillis = Math.max(fromMillis, from);
        toMillis = Math.min(toMillis, to);
    }

    /**
     * References as {@code Type/id}, an absolute URL ending in one, or a bare id ({@code defaultType}'s, or of any
     * type). One typed value makes the clause an index term the search can read.
     */
    private Predicate<AuditStore.Event> references(String name, String defaultType, List<String> alternatives,
            Function<AuditEventContent, List<String>> field) {
        List<String> wanted = new ArrayList<>();
        for (String raw : alternatives) {
            String v = AuditFields.local(raw.trim());
            wanted.add(v.contains("/") || defaultType == null ? v : defaultType + "/" + v);
        }
        if (wanted.size() == 1 && wanted.get(0).contains("/") && term.isEmpty()) {
            term = Optional.of(name + "=" + wanted.get(0));
        }
        return e -> field.apply(e.content()).stream().anyMatch(ref -> wanted.stream().anyMatch(
                w -> w.contains("/") ? ref.equals(w) : ref.endsWith("/" + w)));
    }

    /** {@code system|value} identifiers (a value without a system matches any system). */
    private Predicate<AuditStore.Event> identifiers(String name, List<String> alternatives,
            Function<AuditEventContent, List<String>> field) {
        List<String> wanted = alternatives.stream().map(String::trim).toList();
        if (wanted.size() == 1 && wanted.get(0).indexOf('|') > 0 && !wanted.get(0).equals(AuditKeys.ANONYMOUS)
                && term.isEmpty()) {
            term = Optional.of(name + "=" + wanted.get(0));
        }
        return e -> field.apply(e.content()).stream().anyMatch(id -> wanted.stream().anyMatch(
                w -> w.contains("|") ? id.equals(w.startsWith("|") ? w.substring(1) : w)
                        : id.substring(id.indexOf('|') + 1).equals(w)));
    }

    /** {@code code}, {@code system|code}, {@code |code} (no system) or {@code system|}. */
    private static Predicate<AuditStore.Event> tokens(List<String> alternatives,
            Function<AuditEventContent, List<AuditFields.Code>> field) {
        List<String> wanted = alternatives.stream().map(String::trim).toList();
        return e -> field.apply(e.content()).stream().anyMatch(c -> wanted.stream().anyMatch(w -> {
            int bar = w.indexOf('|');
            if (bar < 0) {
                return w.equals(c.code());
            }
            String system = w.substring(0, bar);
            String code = w.substring(bar + 1);
            boolean systemOk = system.isEmpty() ? c.system() == null : system.equals(c.system());
            return systemOk && (code.isEmpty() || code.equals(c.code()));
        }));
    }

    /** Case-insensitive prefix (default), {@code :exact} or {@code :contains}; null for another modifier. */
    private static Predicate<AuditStore.Event> strings(String modifier, List<String> alternatives,
            Function<AuditEventContent, List<String>> field) {
        List<String> wanted = alternatives.stream().map(String::trim).toList();
        return switch (modifier == null ? "" : modifier) {
            case "" -> e -> field.apply(e.content()).stream().anyMatch(s -> wanted.stream().anyMatch(
                    w -> s.toLowerCase(Locale.ROOT).startsWith(w.toLowerCase(Locale.ROOT))));
            case "exact" -> e -> field.apply(e.content()).stream().anyMatch(wanted::contains);
            case "contains" -> e -> field.apply(e.content()).stream().anyMatch(s -> wanted.stream().anyMatch(
                    w -> s.toLowerCase(Locale.ROOT).contains(w.toLowerCase(Locale.ROOT))));
            default -> null;
        };
    }

    boolean matches(AuditStore.Event e) {
        for (Predicate<AuditStore.Event> c : clauses) {
            if (!c.test(e)) {
                return false;
            }
        }
        return true;
    }
}
