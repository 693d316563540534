package dev.fhirbolt.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/**
 * Answers "holds" without the FHIRPath engine where an invariant obviously holds, which is nearly always: most core
 * invariants are a chain of {@code or}s one of whose terms is {@code x.empty()}, {@code x.hasValue().not()} or
 * {@code x.exists()} on a child (obs-6 {@code dataAbsentReason.empty() or value.empty()}, pat-1
 * {@code name.exists() or telecom.exists() or ...}); such a term is read from the model directly. Besides:
 * {@code dom-2}..{@code dom-5} hold on a resource without contained resources, {@code ref-1} on a reference that is
 * not {@code #...}, {@code per-1} when the start is not after the end. A shortcut only ever answers "holds"; anything
 * else goes to the engine, which decides.
 */
final class InvariantShortcuts {

    private static final Pattern TERM = Pattern.compile("(\\w+)\\.(empty\\(\\)|hasValue\\(\\)\\.not\\(\\)|exists\\(\\))");

    /**
     * {@code x.y.where(...).empty()}: navigation and {@code where} on nothing give nothing, so the term holds when the
     * first child is absent (the where's argument must not be a nested path with its own functions at the top).
     */
    private static final Pattern EMPTY_CHAIN = Pattern.compile("(\\w+)(\\.\\w+|\\.where\\([^()]*(\\([^()]*\\)[^()]*)*\\))*"
            + "\\.empty\\(\\)");

    /** A term {@code name.empty()} (holds when absent) or {@code name.exists()} (holds when present). */
    private record Term(CheckTable.Element element, boolean whenPresent) {
    }

    private final String key;
    private final Term[] terms;

    private InvariantShortcuts(String key, Term[] terms) {
        this.key = key;
        this.terms = terms;
    }

    static InvariantShortcuts of(String key, String expression) {
        List<Term> terms = new ArrayList<>();
        List<String> disjuncts = topLevelOrs(expression);
        for (String d : disjuncts) {
            Matcher m = TERM.matcher(d.trim());
            Matcher chain = EMPTY_CHAIN.matcher(d.trim());
            if (m.matches()) {
                terms.add(new Term(new CheckTable.Element(m.group(1)), m.group(2).equals("exists()")));
            } else if (chain.matches()) {
                terms.add(new Term(new CheckTable.Element(chain.group(1)), false));
            }
        }
        return new InvariantShortcuts(key, terms.toArray(new Term[0]));
    }

    boolean triviallyHolds(Base value) {
        for (Term term : terms) {
            if (present(term.element.values(value)) == term.whenPresent) {
                return true;
            }
        }
        return switch (key) {
            case "dom-2", "dom-3", "dom-4", "dom-5" -> value instanceof DomainResource r && !r.hasContained();
            case "ref-1" -> value instanceof Reference r && (r.getReference() == null
                    || !r.getReference().startsWith("#"));
            case "per-1" -> value instanceof Period p && ordered(p.getStartElement(), p.getEndElement());
            default -> false;
        };
    }

    private static boolean ordered(BaseDateTimeType start, BaseDateTimeType end) {
        return start.getValue() != null && end.getValue() != null && start.getPrecision() == end.getPrecision()
                && start.getValue().compareTo(end.getValue()) <= 0;
    }

    private static boolean present(Base[] values) {
        for (Base v : values) {
            if (CheckTable.present(v)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The terms of an expression that is a chain of {@code or}s at the top level; empty when it is not (an
     * {@code implies} or {@code xor} outside parentheses binds looser than {@code or}, so then nothing is split).
     */
    static List<String> topLevelOrs(String expression) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        boolean quoted = false;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (quoted) {
                continue;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && c == ' ') {
                if (expression.startsWith(" implies ", i) || expression.startsWith(" xor ", i)) {
                    return List.of();
                }
                if (expression.startsWith(" or ", i)) {
                    parts.add(expression.substring(from, i));
                    from = i + 4;
                }
            }
        }
        parts.add(expression.substring(from));
        return parts;
    }
}
