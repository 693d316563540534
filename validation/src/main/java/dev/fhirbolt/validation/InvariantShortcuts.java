package dev.fhirbolt.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UriType;

/**
 * Answers "holds" without the FHIRPath engine where an invariant obviously holds, which is nearly always: most core
 * invariants are a chain of {@code or}s one of whose terms is {@code x.empty()}, {@code x.hasValue().not()} or
 * {@code x.exists()} on a child (obs-6 {@code dataAbsentReason.empty() or value.empty()}, pat-1
 * {@code name.exists() or telecom.exists() or ...}); such a term is read from the model directly. Besides:
 * {@code dom-2}, {@code dom-4}, {@code dom-5} hold on a resource without contained resources, {@code dom-3} when each
 * contained resource is referred to (a walk in Java), {@code ref-1} on a reference that is not {@code #...}, {@code per-1} when the start is not after the end, {@code csd-1} when a hash set finds no code twice. A shortcut only ever answers "holds"; anything
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

    /**
     * csd-1 (every code of a code system, nested ones too, is unique) with a hash set: the engine's
     * {@code isDistinct()} compares every pair, which takes minutes on a code system of 100,000 concepts.
     */
    private static boolean distinctCodes(CodeSystem cs) {
        Set<String> seen = new HashSet<>();
        java.util.ArrayDeque<CodeSystem.ConceptDefinitionComponent> todo = new java.util.ArrayDeque<>(cs.getConcept());
        while (!todo.isEmpty()) {
            CodeSystem.ConceptDefinitionComponent c = todo.pop();
            if (c.hasCode() && !seen.add(c.getCode())) {
                return false;
            }
            todo.addAll(c.getConcept());
        }
        return true;
    }

    boolean triviallyHolds(Base value) {
        for (Term term : terms) {
            if (present(term.element.values(value)) == term.whenPresent) {
                return true;
            }
        }
        return switch (key) {
            case "dom-2", "dom-4", "dom-5" -> value instanceof DomainResource r && !r.hasContained();
            case "dom-3" -> value instanceof DomainResource r && (!r.hasContained() || allReferenced(r));
            case "ref-1" -> value instanceof Reference r && (r.getReference() == null
                    || !r.getReference().startsWith("#"));
            case "per-1" -> value instanceof Period p && ordered(p.getStartElement(), p.getEndElement());
            case "csd-1" -> value instanceof CodeSystem cs && distinctCodes(cs);
            default -> false;
        };
    }

    /**
     * dom-3 in Java: every contained resource's id is the target of a {@code #id} reference (or canonical, uri, url)
     * somewhere in the resource. The engine's version reads all descendants four times over.
     */
    private static boolean allReferenced(DomainResource resource) {
        Set<String> unreferenced = new HashSet<>();
        for (Resource contained : resource.getContained()) {
            String id = contained.getIdElement().getIdPart();
            if (id == null) {
                return false;
            }
            unreferenced.add(id.startsWith("#") ? id : "#" + id);
        }
        removeReferenced(resource, unreferenced);
        return unreferenced.isEmpty();
    }

    private static void removeReferenced(Base node, Set<String> unreferenced) {
        for (Property property : node.children()) {
            for (Base value : property.getValues()) {
                if (unreferenced.isEmpty()) {
                    return;
                }
                if (value instanceof Reference ref) {
                    if (ref.getReference() != null) {
                        unreferenced.remove(ref.getReference());
                    }
                } else if (value instanceof UriType uri) {
                    if (uri.getValue() != null) {
                        unreferenced.remove(uri.getValue());
                    }
                    continue;
                } else if (value == null || value.isPrimitive()) {
                    continue;
                }
                removeReferenced(value, unreferenced);
            }
        }
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
