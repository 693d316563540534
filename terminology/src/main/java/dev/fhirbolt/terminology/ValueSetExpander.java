package dev.fhirbolt.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetComponent;
import org.hl7.fhir.r4.model.ValueSet.ValueSetExpansionContainsComponent;

/**
 * Expands a value set: its compose (listed concepts, whole code systems, filters, imported value sets, excludes)
 * or, without one, the expansion it carries. Whole systems and hierarchy filters come from the code system's index
 * as ordinal sets, and a text filter from its word index, so no request walks every concept of a large system.
 */
public final class ValueSetExpander {

    /** The most codes an expansion answers with at once; larger ones need {@code count} (or a filter). */
    public static final int MAX_MEMBERS = 10_000;
    private static final int MAX_DEPTH = 10;

    private final TerminologyService terminology;

    public ValueSetExpander(TerminologyService terminology) {
        this.terminology = terminology;
    }

    public Expansion expand(ValueSet vs, ExpansionRequest request) {
        Optional<Expansion> single = singleSystem(vs, request);
        if (single.isPresent()) {
            return single.get();
        }
        List<Member> all = new ArrayList<>(members(vs, request.filter(), request.activeOnly(), 0).values());
        int total = all.size();
        int from = Math.min(request.offset(), total);
        int to = request.count().map(c -> Math.min(total, from + c)).orElse(total);
        if (request.count().isEmpty() && total - from > MAX_MEMBERS) {
            throw tooCostly(vs, total);
        }
        return new Expansion(total, from, all.subList(from, to));
    }

    /**
     * A value set of one include of one code system's concepts (whole, or filtered), without excludes: the page is
     * read straight from the selected ordinals and the total is their count, so only the page's members are built.
     */
    private Optional<Expansion> singleSystem(ValueSet vs, ExpansionRequest request) {
        if (!vs.hasCompose() || vs.getCompose().getInclude().size() != 1 || vs.getCompose().hasExclude()) {
            return Optional.empty();
        }
        ConceptSetComponent include = vs.getCompose().getIncludeFirstRep();
        if (!include.hasSystem() || include.hasConcept() || include.hasValueSet()) {
            return Optional.empty();
        }
        CodeSystemIndex cs = known(include);
        BitSet selected = selection(cs, include, request.filter(), request.activeOnly());
        int total = selected.cardinality();
        int from = Math.min(request.offset(), total);
        int to = request.count().map(c -> Math.min(total, from + c)).orElse(total);
        if (request.count().isEmpty() && total - from > MAX_MEMBERS) {
            throw tooCostly(vs, total);
        }
        List<Member> page = new ArrayList<>(to - from);
        int seen = 0;
        for (int i = selected.nextSetBit(0); i >= 0 && seen < to; i = selected.nextSetBit(i + 1), seen++) {
            if (seen >= from) {
                page.add(Member.of(cs, i));
            }
        }
        return Optional.of(new Expansion(total, from, page));
    }

    private static FhirException tooCostly(ValueSet vs, int total) {
        return new FhirException(422, IssueType.TOO_COSTLY, "the expansion of " + vs.getUrl() + " has " + total
                + " codes, more than " + MAX_MEMBERS + " at once: ask for a page with count (and offset) or"
                + " narrow it with filter");
    }

    /** Every member of a value set, however many (for search, which turns them into index keys). */
    public java.util.Collection<Member> all(ValueSet vs) {
        return members(vs, Optional.empty(), false, 0).values();
    }

    /** Every member of a value set that passes the text filter and activeOnly, keyed by system and code. */
    Map<String, Member> members(ValueSet vs, Optional<String> filter, boolean activeOnly, int depth) {
        if (depth > MAX_DEPTH) {
            throw FhirException.invalid("value set imports nest more than " + MAX_DEPTH + " deep at " + vs.getUrl());
        }
        Map<String, Member> out = new LinkedHashMap<>();
        if (!vs.hasCompose()) {
            if (vs.hasExpansion()) {
                fromExpansion(vs.getExpansion().getContains(), filter, activeOnly, out);
            }
            return out;
        }
        for (ConceptSetComponent include : vs.getCompose().getInclude()) {
            for (Member m : include(include, filter, activeOnly, depth)) {
                out.putIfAbsent(m.key(), m);
            }
        }
        for (ConceptSetComponent exclude : vs.getCompose().getExclude()) {
            if (out.isEmpty()) {
                break;
            }
            for (Member m : include(exclude, Optional.empty(), false, depth)) {
                out.remove(m.key());
            }
        }
        return out;
    }

    private List<Member> include(ConceptSetComponent include, Optional<String> filter, boolean activeOnly,
            int depth) {
        List<Map<String, Member>> imported = new ArrayList<>();
        for (CanonicalType canonical : include.getValueSet()) {
            ValueSet other = terminology.valueSet(canonical.getValue()).orElseThrow(() -> new FhirException(422,
                    IssueType.NOT_FOUND, "the value set " + canonical.getValue() + " that " + "is imported is unknown"));
            imported.add(members(other, filter, activeOnly, depth + 1));
        }
        List<Member> fromSystem;
        if (include.hasSystem()) {
            fromSystem = system(include, filter, activeOnly);
        } else if (!imported.isEmpty()) {
            fromSystem = new ArrayList<>(imported.remove(0).values());
        } else {
            return List.of();
        }
        if (imported.isEmpty()) {
            return fromSystem;
        }
        List<Member> out = new ArrayList<>();
        for (Member m : fromSystem) {
            if (imported.stream().allMatch(i -> i.containsKey(m.key()))) {
                out.add(m);
            }
        }
        return out;
    }

    private List<Member> system(ConceptSetComponent include, Optional<String> filter, boolean activeOnly) {
        String system = include.getSystem();
        Optional<CodeSystemIndex> known = terminology.codeSystem(system, include.getVersion())
                .filter(CodeSystemIndex::hasContent);
        List<Member> out = new ArrayList<>();
        if (include.hasConcept()) {
            for (var c : include.getConcept()) {
                Optional<Integer> ordinal = known.flatMap(cs -> cs.ordinal(c.getCode()));
                Member m = ordinal.map(o -> Member.of(known.get(), o))
                        .map(found -> c.hasDisplay() ? new Member(found.system(), found.version(), found.code(),
                                c.getDisplay(), found.index(), found.ordinal()) : found)
                        .orElseGet(() -> new Member(system, include.getVersion(), c.getCode(), c.getDisplay(), null,
                                -1));
                if ((filter.isEmpty() || WordIndex.matches(m.code(), m.display(), filter.get()))
                        && !(activeOnly && m.inactive())) {
                    out.add(m);
                }
            }
            return out;
        }
        CodeSystemIndex cs = known(include);
        BitSet selected = selection(cs, include, filter, activeOnly);
        for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
            out.add(Member.of(cs, i));
        }
        return out;
    }

    private CodeSystemIndex known(ConceptSetComponent include) {
        return terminology.codeSystem(include.getSystem(), include.getVersion()).filter(CodeSystemIndex::hasContent)
                .orElseThrow(() -> new FhirException(422, IssueType.NOT_FOUND, "the value set includes codes of the"
                        + " code system " + include.getSystem() + ", which is unknown to this server (or holds no"
                        + " concepts): load it as a CodeSystem resource first"));
    }

    /** The ordinals an include of a whole (possibly filtered) code system selects. */
    private static BitSet selection(CodeSystemIndex cs, ConceptSetComponent include, Optional<String> filter,
            boolean activeOnly) {
        BitSet selected;
        if (filter.isPresent() && !filter.get().isBlank()) {
            selected = cs.matching(filter.get());
        } else {
            selected = new BitSet(cs.size());
            selected.set(0, cs.size());
        }
        for (var f : include.getFilter()) {
            if (selected.isEmpty()) {
                break;
            }
            if (selected.cardinality() < 256) {
                for (int i = selected.nextSetBit(0); i >= 0; i = selected.nextSetBit(i + 1)) {
                    if (!ConceptFilters.test(cs, i, f)) {
                        selected.clear(i);
                    }
                }
            } else {
                selected.and(ConceptFilters.select(cs, f));
            }
        }
        if (activeOnly) {
            cs.dropInactive(selected);
        }
        return selected;
    }

    private void fromExpansion(List<ValueSetExpansionContainsComponent> contains, Optional<String> filter,
            boolean activeOnly, Map<String, Member> out) {
        for (var c : contains) {
            if (c.hasCode() && !(activeOnly && c.getInactive())
                    && (filter.isEmpty() || WordIndex.matches(c.getCode(), c.getDisplay(), filter.get()))) {
                Optional<CodeSystemIndex> cs = terminology.codeSystem(c.getSystem(), c.getVersion());
                Optional<Integer> ordinal = cs.flatMap(s -> s.ordinal(c.getCode()));
                Member m = new Member(c.getSystem(), c.getVersion(), c.getCode(), c.getDisplay(),
                        ordinal.isPresent() ? cs.get() : null, ordinal.orElse(-1));
                out.putIfAbsent(m.key(), m);
            }
            fromExpansion(c.getContains(), filter, activeOnly, out);
        }
    }
}
