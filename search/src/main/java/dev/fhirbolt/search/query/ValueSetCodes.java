package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.terminology.Member;
import dev.fhirbolt.terminology.TerminologyService;
import dev.fhirbolt.terminology.ValueSetExpander;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;

/**
 * The codes of a value set as token alternatives, from the terminology module's expansion. An include of a whole
 * code system becomes a match on the system (less its excluded codes), so it needs neither the code system's
 * concepts nor a walk over them.
 */
final class ValueSetCodes {

    private ValueSetCodes() {
    }

    /** The alternatives a token must match one of to be in the value set. */
    static List<Alternative> of(ValueSet valueSet, TerminologyService terminology) {
        ValueSetExpander expander = new ValueSetExpander(terminology);
        List<Alternative> out = new ArrayList<>();
        ValueSet rest = new ValueSet();
        rest.setUrl(valueSet.getUrl());
        if (!valueSet.hasCompose()) {
            return exact(expander.all(valueSet));
        }
        Set<String> excluded = null;
        for (ConceptSetComponent include : valueSet.getCompose().getInclude()) {
            if (include.hasSystem() && !include.hasConcept() && !include.hasFilter() && !include.hasValueSet()) {
                if (excluded == null) {
                    excluded = excluded(valueSet, expander);
                }
                out.add(wholeSystem(include.getSystem(), excluded));
            } else {
                rest.getCompose().addInclude(include);
            }
        }
        if (rest.getCompose().hasInclude()) {
            valueSet.getCompose().getExclude().forEach(rest.getCompose()::addExclude);
            out.addAll(exact(expander.all(rest)));
        }
        return out;
    }

    private static Set<String> excluded(ValueSet valueSet, ValueSetExpander expander) {
        Set<String> out = new HashSet<>();
        if (!valueSet.getCompose().hasExclude()) {
            return out;
        }
        ValueSet excludes = new ValueSet();
        valueSet.getCompose().getExclude().forEach(excludes.getCompose()::addInclude);
        for (Member m : expander.all(excludes)) {
            out.add(m.system() + "|" + m.code());
        }
        return out;
    }

    private static Alternative wholeSystem(String system, Set<String> excluded) {
        if (excluded.stream().noneMatch(k -> k.startsWith(system + "|"))) {
            return TokenMatcher.anyOfSystem(system);
        }
        byte[] prefix = Encoded.prefix(Encoded.SYSTEM_CODE, system);
        byte[] head = Arrays.copyOf(prefix, prefix.length + 1);
        return new Alternative(List.of(Alternative.VRange.prefix(head)),
                v -> Bytes.startsWith(v, head) && !excluded.contains(system + "|" + Encoded.parts(v)[1]));
    }

    private static List<Alternative> exact(java.util.Collection<Member> members) {
        List<byte[]> values = new ArrayList<>();
        for (Member m : members) {
            if (m.system() != null && !m.isAbstract()) {
                values.add(Encoded.strings(Encoded.SYSTEM_CODE, m.system(), m.code()));
            }
        }
        return values.isEmpty() ? List.of() : List.of(Alternative.anyOf(values));
    }
}
