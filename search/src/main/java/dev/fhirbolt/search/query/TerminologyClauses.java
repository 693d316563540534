package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.terminology.CodeSystemIndex;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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
                    ValueSet vs = q.terminology().valueSet(raw).orElseThrow(() ->
                            new IllegalArgumentException("the ValueSet " + raw + " is not known to this server"));
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
        CodeSystemIndex cs = q.terminology().codeSystem(system, null).orElseThrow(() ->
                new IllegalArgumentException("the CodeSystem " + system
                        + " is not known to this server; :" + modifier + " needs its hierarchy"));
        List<byte[]> values = new ArrayList<>();
        values.add(Encoded.strings(Encoded.SYSTEM_CODE, system, code));
        cs.ordinal(code).ifPresent(o -> {
            BitSet related = modifier.equals("below") ? cs.descendantsOrSelf(o) : cs.ancestorsOrSelf(o);
            related.clear(o);
            for (int i = related.nextSetBit(0); i >= 0; i = related.nextSetBit(i + 1)) {
                values.add(Encoded.strings(Encoded.SYSTEM_CODE, system, cs.concept(i).getCode()));
            }
        });
        return Alternative.anyOf(values);
    }
}
