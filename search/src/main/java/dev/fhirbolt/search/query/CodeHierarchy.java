package dev.fhirbolt.search.query;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeSystem;

/**
 * The is-a hierarchy of a stored CodeSystem: nested concepts, and the {@code parent}/{@code child} properties.
 * Subsumption includes the code itself.
 */
final class CodeHierarchy {

    private static final int MAX_CODES = 100_000;

    private final Map<String, Set<String>> children = new HashMap<>();
    private final Map<String, Set<String>> parents = new HashMap<>();

    CodeHierarchy(CodeSystem system) {
        for (CodeSystem.ConceptDefinitionComponent c : system.getConcept()) {
            add(c, null);
        }
    }

    private void add(CodeSystem.ConceptDefinitionComponent concept, String parent) {
        String code = concept.getCode();
        if (parent != null) {
            link(parent, code);
        }
        for (CodeSystem.ConceptPropertyComponent p : concept.getProperty()) {
            if (p.hasValueCodeType() || p.hasValueStringType()) {
                String other = p.getValue().primitiveValue();
                if ("parent".equals(p.getCode())) {
                    link(other, code);
                } else if ("child".equals(p.getCode())) {
                    link(code, other);
                }
            }
        }
        for (CodeSystem.ConceptDefinitionComponent child : concept.getConcept()) {
            add(child, code);
        }
    }

    private void link(String parent, String child) {
        children.computeIfAbsent(parent, k -> new LinkedHashSet<>()).add(child);
        parents.computeIfAbsent(child, k -> new LinkedHashSet<>()).add(parent);
    }

    /** The code and every code below it. */
    Set<String> below(String code) {
        return closure(code, children);
    }

    /** The code and every code above it. */
    Set<String> above(String code) {
        return closure(code, parents);
    }

    private static Set<String> closure(String code, Map<String, Set<String>> edges) {
        Set<String> out = new LinkedHashSet<>(List.of(code));
        Deque<String> todo = new ArrayDeque<>(out);
        while (!todo.isEmpty() && out.size() < MAX_CODES) {
            for (String next : edges.getOrDefault(todo.poll(), Set.of())) {
                if (out.add(next)) {
                    todo.add(next);
                }
            }
        }
        return out;
    }
}
