package dev.fhirbolt.search.index;

import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamDef;
import dev.fhirbolt.search.param.ParamType;
import dev.fhirbolt.search.param.PathSplitter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The parameters of a type whose values are exactly the union of other parameters' values, found from their
 * expressions: Observation's {@code combo-code} is {@code Observation.code | Observation.component.code}, the union of
 * {@code code} and {@code component-code}. They get no index entries of their own (no search-value or search-sort
 * keys, no group in the search-resource record): a search on one reads its parts' entries instead, which hold the same
 * values. On the 100-patient Synthea set the five combo parameters of Observation were about a quarter of all
 * search-value keys.
 *
 * <p>A parameter is a union when the top-level branches of its path are exactly the branches of two or more other
 * parameters of the same type (each a subset of its branches), themselves no unions. Composites also need the same
 * components, in order: the same type and the same expression relative to the element. Excluded, so that every rule
 * that reads values by code still finds them where it looks: references and special parameters, parameters that place
 * resources in compartments, those of search-patient and search-code-date ({@link PatientScope}, {@link CodeDates})
 * and the parameters of all resources ({@code _id}, ...).
 */
public final class UnionParams {

    private static final Set<String> KEPT = kept();

    private UnionParams() {
    }

    /** Each union parameter's code with the codes of its parts (which hold its values). */
    public static Map<String, List<String>> of(Map<String, CompiledParam> params,
            Function<String, Optional<ParamDef>> byUrl) {
        List<CompiledParam> bySize = new ArrayList<>();
        for (CompiledParam p : params.values()) {
            if (p.hasPath()) {
                bySize.add(p);
            }
        }
        bySize.sort(Comparator.comparingInt(p -> branches(p).size()));
        Map<String, List<String>> unions = new LinkedHashMap<>();
        for (CompiledParam candidate : bySize) {
            if (!mayBeUnion(candidate)) {
                continue;
            }
            Set<String> wanted = branches(candidate);
            Set<String> covered = new HashSet<>();
            List<String> parts = new ArrayList<>();
            for (int i = bySize.size() - 1; i >= 0; i--) {
                CompiledParam part = bySize.get(i);
                Set<String> own = branches(part);
                if (part == candidate || unions.containsKey(part.code()) || own.size() >= wanted.size()
                        || !wanted.containsAll(own) || covered.containsAll(own)
                        || !sameValues(candidate, part, byUrl)) {
                    continue;
                }
                covered.addAll(own);
                parts.add(part.code());
            }
            if (parts.size() > 1 && covered.equals(wanted)) {
                parts.sort(null);
                unions.put(candidate.code(), List.copyOf(parts));
            }
        }
        return Map.copyOf(unions);
    }

    private static Set<String> kept() {
        Set<String> kept = new HashSet<>(PatientScope.CODES);
        kept.add(PatientScope.PATIENT);
        kept.add(CodeDates.CODE);
        kept.add(CodeDates.DATE);
        return Set.copyOf(kept);
    }

    private static boolean mayBeUnion(CompiledParam p) {
        return p.type() != ParamType.REFERENCE && p.type() != ParamType.SPECIAL && p.def().compartments().isEmpty()
                && !KEPT.contains(p.code()) && !p.code().startsWith("_");
    }

    private static Set<String> branches(CompiledParam p) {
        return new HashSet<>(PathSplitter.branches(p.path()));
    }

    /**
     * Whether a part's values on an element are encoded as the candidate's: the same type, and for composites the same
     * components.
     */
    private static boolean sameValues(CompiledParam candidate, CompiledParam part,
            Function<String, Optional<ParamDef>> byUrl) {
        if (candidate.type() != part.type()) {
            return false;
        }
        if (candidate.type() != ParamType.COMPOSITE) {
            return true;
        }
        List<ParamDef.Component> a = candidate.def().components();
        List<ParamDef.Component> b = part.def().components();
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Optional<ParamDef> ca = byUrl.apply(a.get(i).definition());
            Optional<ParamDef> cb = byUrl.apply(b.get(i).definition());
            if (ca.isEmpty() || cb.isEmpty() || ca.get().type() != cb.get().type()
                    || !CompositeValues.componentExpression(candidate.def(), a.get(i), ca.get())
                            .equals(CompositeValues.componentExpression(part.def(), b.get(i), cb.get()))) {
                return false;
            }
        }
        return true;
    }
}
