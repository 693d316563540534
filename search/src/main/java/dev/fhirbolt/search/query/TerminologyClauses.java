package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Token :in and :not-in (codes of a stored ValueSet) and :below and :above (a code and its descendants or ancestors
 * in a stored CodeSystem), turned into ordinary value clauses.
 */
final class TerminologyClauses {

    private TerminologyClauses() {
    }

    static boolean handles(String modifier) {
        return "in".equals(modifier) || "not-in".equals(modifier) || "below".equals(modifier)
                || "above".equals(modifier);
    }

    static Clause build(QueryContext q, String code, String modifier, String value) {
        List<Alternative> alternatives = new ArrayList<>();
        for (String part : Escapes.split(value, ',')) {
            String raw = Escapes.unescape(part);
            switch (modifier) {
                case "in", "not-in" -> {
                    ValueSet vs = (ValueSet) q.terminology().resolve("ValueSet", raw).orElseThrow(() ->
                            new IllegalArgumentException("the ValueSet " + raw + " is not stored on this server"));
                    alternatives.addAll(ValueSetCodes.of(vs, q.terminology()));
                }
                default -> alternatives.add(subsumed(q, modifier, part));
            }
        }
        return new ValueClause(code, alternatives, "not-in".equals(modifier));
    }

    private static Alternative subsumed(QueryContext q, String modifier, String part) {
        List<String> parts = Escapes.splitFirst(part, '|');
        if (parts.size() != 2 || parts.get(0).isEmpty() || parts.get(1).isEmpty()) {
            throw new IllegalArgumentException(":" + modifier + " on a token needs system|code, got " + part);
        }
        String system = Escapes.unescape(parts.get(0));
        String code = Escapes.unescape(parts.get(1));
        CodeSystem cs = (CodeSystem) q.terminology().resolve("CodeSystem", system).orElseThrow(() ->
                new IllegalArgumentException("the CodeSystem " + system
                        + " is not stored on this server; :" + modifier + " needs its hierarchy"));
        CodeHierarchy hierarchy = new CodeHierarchy(cs);
        List<byte[]> values = new ArrayList<>();
        for (String c : modifier.equals("below") ? hierarchy.below(code) : hierarchy.above(code)) {
            values.add(Encoded.strings(Encoded.SYSTEM_CODE, system, c));
        }
        return Alternative.anyOf(values);
    }
}
