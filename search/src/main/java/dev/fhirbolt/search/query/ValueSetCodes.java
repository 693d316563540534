package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The codes of a stored ValueSet, as token alternatives: its expansion when it has one, else its compose (listed
 * concepts, whole code systems, is-a / descendent-of filters through the stored CodeSystem, imported ValueSets, and
 * excluded concepts).
 */
final class ValueSetCodes {

    private static final int MAX_DEPTH = 8;

    private final Terminology terminology;
    /** system -> codes; a system mapped to null is included whole. */
    private final Map<String, Set<String>> codes = new HashMap<>();
    private final Map<String, Set<String>> excluded = new HashMap<>();

    private ValueSetCodes(Terminology terminology) {
        this.terminology = terminology;
    }

    /** The alternatives a token must match one of to be in the value set. */
    static List<Alternative> of(ValueSet valueSet, Terminology terminology) {
        ValueSetCodes out = new ValueSetCodes(terminology);
        out.add(valueSet, 0);
        return out.alternatives();
    }

    private void add(ValueSet vs, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("ValueSet imports nest too deep at " + vs.getUrl());
        }
        if (vs.hasExpansion() && vs.getExpansion().hasContains()) {
            addContains(vs.getExpansion().getContains());
            return;
        }
        for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
            for (var imported : include.getValueSet()) {
                add(valueSet(imported.getValue()), depth + 1);
            }
            if (!include.hasSystem()) {
                continue;
            }
            String system = include.getSystem();
            if (include.hasConcept()) {
                include.getConcept().forEach(c -> codes(system).add(c.getCode()));
            } else if (include.hasFilter()) {
                for (ValueSet.ConceptSetFilterComponent f : include.getFilter()) {
                    codes(system).addAll(filter(system, f));
                }
            } else {
                codes.put(system, null);
            }
        }
        for (ValueSet.ConceptSetComponent exclude : vs.getCompose().getExclude()) {
            if (exclude.hasSystem()) {
                exclude.getConcept().forEach(c -> excluded.computeIfAbsent(exclude.getSystem(),
                        k -> new LinkedHashSet<>()).add(c.getCode()));
            }
        }
    }

    private Set<String> codes(String system) {
        if (codes.containsKey(system) && codes.get(system) == null) {
            return new LinkedHashSet<>();
        }
        return codes.computeIfAbsent(system, k -> new LinkedHashSet<>());
    }

    private void addContains(List<ValueSet.ValueSetExpansionContainsComponent> contains) {
        for (var c : contains) {
            if (c.hasSystem() && c.hasCode() && !c.getAbstract()) {
                codes(c.getSystem()).add(c.getCode());
            }
            addContains(c.getContains());
        }
    }

    private Set<String> filter(String system, ValueSet.ConceptSetFilterComponent f) {
        String op = f.getOp() == null ? "" : f.getOp().toCode();
        if (!"concept".equals(f.getProperty()) || !op.equals("is-a") && !op.equals("descendent-of")) {
            throw new UnsupportedOperationException("ValueSet filter " + f.getProperty() + " " + op
                    + " (only concept is-a / descendent-of)");
        }
        Set<String> below = hierarchy(system).below(f.getValue());
        if (op.equals("descendent-of")) {
            below.remove(f.getValue());
        }
        return below;
    }

    private ValueSet valueSet(String canonical) {
        Resource r = terminology.resolve("ValueSet", canonical).orElseThrow(() -> new IllegalArgumentException(
                "the ValueSet " + canonical + " is not stored on this server"));
        return (ValueSet) r;
    }

    private CodeHierarchy hierarchy(String system) {
        Resource r = terminology.resolve("CodeSystem", system).orElseThrow(() -> new IllegalArgumentException(
                "the CodeSystem " + system + " is not stored on this server; its hierarchy is needed"));
        return new CodeHierarchy((CodeSystem) r);
    }

    private List<Alternative> alternatives() {
        List<Alternative> out = new ArrayList<>();
        List<byte[]> exact = new ArrayList<>();
        codes.forEach((system, list) -> {
            Set<String> minus = excluded.getOrDefault(system, Set.of());
            if (list == null) {
                if (minus.isEmpty()) {
                    out.add(TokenMatcher.anyOfSystem(system));
                } else {
                    byte[] prefix = Encoded.prefix(Encoded.SYSTEM_CODE, system);
                    byte[] head = java.util.Arrays.copyOf(prefix, prefix.length + 1);
                    out.add(new Alternative(List.of(Alternative.VRange.prefix(head)),
                            v -> dev.fhirbolt.storage.Bytes.startsWith(v, head)
                                    && !minus.contains(Encoded.parts(v)[1])));
                }
            } else {
                for (String code : list) {
                    if (!minus.contains(code)) {
                        exact.add(Encoded.strings(Encoded.SYSTEM_CODE, system, code));
                    }
                }
            }
        });
        if (!exact.isEmpty()) {
            out.add(Alternative.anyOf(exact));
        }
        return out;
    }
}
