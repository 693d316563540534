package dev.fhirbolt.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * Whether one code is in a value set, decided from the compose without expanding it: a listed concept is a lookup,
 * a whole system a lookup in its index, a hierarchy filter a walk up from the code.
 */
public final class ValueSetMembership {

    private static final int MAX_DEPTH = 10;

    private final TerminologyService terminology;

    public ValueSetMembership(TerminologyService terminology) {
        this.terminology = terminology;
    }

    /**
     * The member for {@code system}/{@code code}; a null system matches a code of any system the value set
     * includes (the first found).
     */
    public Optional<Member> find(ValueSet vs, String system, String code) {
        return find(vs, system, code, 0);
    }

    private Optional<Member> find(ValueSet vs, String system, String code, int depth) {
        if (depth > MAX_DEPTH) {
            throw FhirException.invalid("value set imports nest more than " + MAX_DEPTH + " deep at " + vs.getUrl());
        }
        if (!vs.hasCompose()) {
            return vs.hasExpansion() ? inExpansion(vs.getExpansion().getContains(), system, code) : Optional.empty();
        }
        for (ConceptSetComponent include : vs.getCompose().getInclude()) {
            Optional<Member> m = inInclude(include, system, code, depth);
            if (m.isPresent()) {
                String found = m.get().system();
                boolean excluded = vs.getCompose().getExclude().stream()
                        .anyMatch(e -> inInclude(e, found, code, depth).isPresent());
                if (!excluded) {
                    return m;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Member> inInclude(ConceptSetComponent include, String system, String code, int depth) {
        Optional<Member> found = Optional.empty();
        if (include.hasSystem()) {
            if (system != null && !system.equals(include.getSystem())) {
                return Optional.empty();
            }
            found = inSystem(include, code);
            if (found.isEmpty()) {
                return found;
            }
        }
        for (CanonicalType canonical : include.getValueSet()) {
            ValueSet other = terminology.valueSet(canonical.getValue()).orElseThrow(() -> new FhirException(422,
                    IssueType.NOT_FOUND, "the value set " + canonical.getValue() + " that is imported is unknown"));
            Optional<Member> inOther = find(other, found.map(Member::system).orElse(system), code, depth + 1);
            if (inOther.isEmpty()) {
                return inOther;
            }
            if (found.isEmpty()) {
                found = inOther;
            }
        }
        return found;
    }

    private Optional<Member> inSystem(ConceptSetComponent include, String code) {
        String system = include.getSystem();
        Optional<CodeSystemIndex> known = terminology.codeSystem(system, include.getVersion())
                .filter(CodeSystemIndex::hasContent);
        Optional<Member> inCodeSystem = known.flatMap(cs -> cs.ordinal(code).map(o -> Member.of(cs, o)));
        if (include.hasConcept()) {
            return include.getConcept().stream().filter(c -> code.equals(c.getCode())).findFirst()
                    .map(c -> inCodeSystem.orElseGet(() -> new Member(system, include.getVersion(), code,
                            c.getDisplay(), null, -1)));
        }
        if (known.isEmpty()) {
            throw new FhirException(422, IssueType.NOT_FOUND, "the value set includes codes of the code system "
                    + system + ", which is unknown to this server (or holds no concepts)");
        }
        CodeSystemIndex cs = known.get();
        return inCodeSystem.filter(m -> include.getFilter().stream()
                .allMatch(f -> ConceptFilters.test(cs, m.ordinal(), f)));
    }

    private Optional<Member> inExpansion(List<ValueSetExpansionContainsComponent> contains, String system,
            String code) {
        for (var c : contains) {
            if (code.equals(c.getCode()) && (system == null || system.equals(c.getSystem()))) {
                return Optional.of(new Member(c.getSystem(), c.getVersion(), c.getCode(), c.getDisplay(), null, -1));
            }
            Optional<Member> nested = inExpansion(c.getContains(), system, code);
            if (nested.isPresent()) {
                return nested;
            }
        }
        return Optional.empty();
    }
}
