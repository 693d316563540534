package dev.fhirbolt.terminology;

import dev.fhirbolt.common.FhirException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.ValueSet.ConceptSetFilterComponent;

/**
 * The filters of a value set's include ({@code is-a}, {@code descendent-of}, {@code is-not-a}, {@code generalizes},
 * {@code =}, {@code in}, {@code not-in}, {@code regex}, {@code exists}) over one code system: as the set of concepts
 * they select (expansion) or as a test of one concept (membership).
 */
final class ConceptFilters {

    private ConceptFilters() {
    }

    /** The ordinals a filter selects. */
    static BitSet select(CodeSystemIndex cs, ConceptSetFilterComponent f) {
        String op = op(f);
        String value = f.getValue() == null ? "" : f.getValue();
        switch (op) {
            case "is-a", "descendent-of", "is-not-a" -> {
                BitSet below = cs.ordinal(value).map(cs::descendantsOrSelf).orElseGet(BitSet::new);
                if (op.equals("descendent-of")) {
                    cs.ordinal(value).ifPresent(below::clear);
                }
                if (op.equals("is-not-a")) {
                    BitSet all = new BitSet(cs.size());
                    all.set(0, cs.size());
                    all.andNot(below);
                    return all;
                }
                return below;
            }
            case "generalizes" -> {
                return cs.ordinal(value).map(cs::ancestorsOrSelf).orElseGet(BitSet::new);
            }
            default -> {
                BitSet out = new BitSet(cs.size());
                for (int i = 0; i < cs.size(); i++) {
                    if (test(cs, i, f)) {
                        out.set(i);
                    }
                }
                return out;
            }
        }
    }

    /** Whether the concept at {@code ordinal} passes the filter. */
    static boolean test(CodeSystemIndex cs, int ordinal, ConceptSetFilterComponent f) {
        String op = op(f);
        String value = f.getValue() == null ? "" : f.getValue();
        ConceptDefinitionComponent c = cs.concept(ordinal);
        return switch (op) {
            case "is-a" -> cs.ordinal(value).map(v -> cs.subsumes(v, ordinal)).orElse(false);
            case "descendent-of" -> cs.ordinal(value).map(v -> v != ordinal && cs.subsumes(v, ordinal)).orElse(false);
            case "is-not-a" -> !cs.ordinal(value).map(v -> cs.subsumes(v, ordinal)).orElse(false);
            case "generalizes" -> cs.ordinal(value).map(v -> cs.subsumes(ordinal, v)).orElse(false);
            case "=" -> values(c, f.getProperty()).contains(value);
            case "in" -> values(c, f.getProperty()).stream().anyMatch(Set.of(value.split(","))::contains);
            case "not-in" -> values(c, f.getProperty()).stream().noneMatch(Set.of(value.split(","))::contains);
            case "regex" -> values(c, f.getProperty()).stream().anyMatch(pattern(value).asMatchPredicate());
            case "exists" -> values(c, f.getProperty()).isEmpty() != Boolean.parseBoolean(value);
            default -> throw FhirException.notSupported("the value set filter operator '" + op + "' is not supported");
        };
    }

    private static String op(ConceptSetFilterComponent f) {
        if (f.getOp() == null) {
            throw FhirException.invalid("a value set filter on " + f.getProperty() + " has no operator");
        }
        return f.getOp().toCode();
    }

    private static List<String> values(ConceptDefinitionComponent c, String property) {
        if (property == null) {
            return List.of();
        }
        return switch (property) {
            case "concept", "code" -> List.of(c.getCode());
            case "display" -> c.hasDisplay() ? List.of(c.getDisplay()) : List.of();
            default -> ConceptProperties.values(c, property);
        };
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw FhirException.invalid("the value set filter regex '" + regex + "' is not valid: "
                    + e.getDescription());
        }
    }

    static String describe(ConceptSetFilterComponent f) {
        return String.join(" ", Arrays.asList(f.getProperty(), f.getOp() == null ? "?" : f.getOp().toCode(),
                f.getValue()));
    }
}
