package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Turns one parameter (name with modifiers or chain, and one value with OR'd parts) into a clause for a type. Answers
 * empty when the parameter does not exist on the type; throws IllegalArgumentException for a malformed value.
 */
public final class ClauseFactory {

    private ClauseFactory() {
    }

    public static Optional<Clause> build(QueryContext q, String type, String name, String value) {
        if (name.startsWith("_has:")) {
            return HasClauses.build(q, type, name, value);
        }
        if (name.equals("_list")) {
            return Optional.of(listClause(q, type, value));
        }
        ParsedName parsed = ParsedName.parse(name);
        Optional<CompiledParam> param = q.registry().find(type, parsed.code());
        if (param.isEmpty()) {
            return Optional.empty();
        }
        if (parsed.chain() != null) {
            return ChainClauses.build(q, param.get(), parsed, value);
        }
        if (param.get().type() == ParamType.TOKEN && TerminologyClauses.handles(parsed.modifier())) {
            return Optional.of(TerminologyClauses.build(q, parsed.code(), parsed.modifier(), value));
        }
        if (param.get().type() == ParamType.REFERENCE
                && ("below".equals(parsed.modifier()) || "above".equals(parsed.modifier()))) {
            return Optional.of(ReferenceHierarchy.build(q, param.get(), type, parsed.modifier(), value));
        }
        if ("missing".equals(parsed.modifier())) {
            return Optional.of(new MissingClause(parsed.code(), Boolean.parseBoolean(value.trim())));
        }
        boolean negate = "not".equals(parsed.modifier()) && param.get().type() == ParamType.TOKEN;
        String modifier = negate ? null : parsed.modifier();
        List<Alternative> alternatives = new ArrayList<>();
        for (String part : Escapes.split(value, ',')) {
            try {
                alternatives.add(Matchers.build(param.get(), modifier, part, q.registry()::byUrl));
            } catch (UnsupportedModifier e) {
                return Optional.empty();
            }
        }
        return Optional.of(new ValueClause(parsed.code(), alternatives, negate));
    }

    private static Clause listClause(QueryContext q, String type, String value) {
        return new IdSetClause(t -> {
            SortedSet<String> ids = new TreeSet<>();
            for (String listId : Escapes.split(value, ',')) {
                for (byte[] v : q.reader().values("List", Escapes.unescape(listId), "item")) {
                    addLocal(v, t, ids);
                }
            }
            return ids;
        });
    }

    /** Adds the id of a local reference value when it points to {@code type}. */
    static void addLocal(byte[] v, String type, SortedSet<String> ids) {
        if (v[0] == Encoded.LOCAL_REF) {
            String ref = Encoded.parts(v)[0];
            if (ref.startsWith(type + "/")) {
                ids.add(ref.substring(type.length() + 1));
            }
        }
    }

    static Map<String, List<String>> single(String name, String value) {
        return Map.of(name, List.of(value));
    }

    /** Membership in a compartment (Patient/123/...). */
    public static Clause compartment(QueryContext q, String compartmentType, String compartmentId) {
        return new CompartmentClause(compartmentType, compartmentId);
    }
}
