package dev.fhirbolt.terminology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * A code system held whole in the heap (a CodeSystem resource with its concepts: the R4 core ones, and those written
 * through the FHIR API), indexed once: its concepts in definition order (an ordinal each), codes to ordinals, the
 * is-a hierarchy (nesting and the {@code parent}/{@code child} properties) as ordinal arrays, and a sorted word index
 * of codes and displays for text filters, so a filter costs a binary search per word instead of a walk over every
 * concept.
 */
final class HeapCodeSystemIndex implements CodeSystemIndex {

    private static final int[] NONE = new int[0];

    private final CodeSystem resource;
    private final ConceptDefinitionComponent[] concepts;
    private final Map<String, Integer> ordinals;
    private final Map<String, Integer> foldedOrdinals;
    private final int[][] parents;
    private final int[][] children;
    private final BitSet inactive;
    private final WordIndex words;

    private HeapCodeSystemIndex(CodeSystem resource, List<ConceptDefinitionComponent> flat,
            List<List<Integer>> parentLists) {
        this.resource = resource;
        this.concepts = flat.toArray(new ConceptDefinitionComponent[0]);
        this.ordinals = new HashMap<>(concepts.length * 2);
        this.foldedOrdinals = resource.getCaseSensitive() ? Map.of() : new HashMap<>();
        for (int i = 0; i < concepts.length; i++) {
            ordinals.putIfAbsent(concepts[i].getCode(), i);
            if (!resource.getCaseSensitive()) {
                foldedOrdinals.putIfAbsent(concepts[i].getCode().toLowerCase(Locale.ROOT), i);
            }
        }
        List<List<Integer>> childLists = new ArrayList<>(concepts.length);
        for (int i = 0; i < concepts.length; i++) {
            childLists.add(null);
        }
        for (int i = 0; i < concepts.length; i++) {
            for (var p : concepts[i].getProperty()) {
                if (!p.hasValue() || !p.getValue().isPrimitive()) {
                    continue;
                }
                Integer other = ordinals.get(p.getValue().primitiveValue());
                if (other == null) {
                    continue;
                }
                if ("parent".equals(p.getCode())) {
                    link(parentLists, i, other);
                } else if ("child".equals(p.getCode())) {
                    link(parentLists, other, i);
                }
            }
        }
        this.parents = new int[concepts.length][];
        for (int i = 0; i < concepts.length; i++) {
            List<Integer> ps = parentLists.get(i);
            parents[i] = ps == null ? NONE : ps.stream().distinct().mapToInt(Integer::intValue).toArray();
            for (int p : parents[i]) {
                if (childLists.get(p) == null) {
                    childLists.set(p, new ArrayList<>(4));
                }
                childLists.get(p).add(i);
            }
        }
        this.children = new int[concepts.length][];
        for (int i = 0; i < concepts.length; i++) {
            List<Integer> cs = childLists.get(i);
            children[i] = cs == null ? NONE : cs.stream().mapToInt(Integer::intValue).toArray();
        }
        this.inactive = new BitSet(concepts.length);
        for (int i = 0; i < concepts.length; i++) {
            if (ConceptProperties.inactive(concepts[i])) {
                inactive.set(i);
            }
        }
        this.words = WordIndex.of(concepts);
    }

    private static void link(List<List<Integer>> parentLists, int child, int parent) {
        if (parentLists.get(child) == null) {
            parentLists.set(child, new ArrayList<>(2));
        }
        parentLists.get(child).add(parent);
    }

    /** Indexes a CodeSystem's concepts (nested ones are children of the concept they are nested in). */
    static HeapCodeSystemIndex of(CodeSystem cs) {
        List<ConceptDefinitionComponent> flat = new ArrayList<>();
        List<List<Integer>> parentLists = new ArrayList<>();
        for (ConceptDefinitionComponent c : cs.getConcept()) {
            flatten(c, -1, flat, parentLists);
        }
        return new HeapCodeSystemIndex(cs, flat, parentLists);
    }

    private static void flatten(ConceptDefinitionComponent c, int parent, List<ConceptDefinitionComponent> flat,
            List<List<Integer>> parentLists) {
        int me = flat.size();
        flat.add(c);
        parentLists.add(parent < 0 ? null : new ArrayList<>(List.of(parent)));
        for (ConceptDefinitionComponent child : c.getConcept()) {
            flatten(child, me, flat, parentLists);
        }
    }

    @Override
    public CodeSystem resource() {
        return resource;
    }

    public int size() {
        return concepts.length;
    }

    /** Whether this resource holds the concepts (content complete or fragment), not only the system's name. */
    public boolean hasContent() {
        return concepts.length > 0 || resource.getContent() == CodeSystem.CodeSystemContentMode.COMPLETE;
    }

    public ConceptDefinitionComponent concept(int ordinal) {
        return concepts[ordinal];
    }

    /** The ordinal of a code; case-insensitive when the code system says it is not case-sensitive. */
    public Optional<Integer> ordinal(String code) {
        Integer i = ordinals.get(code);
        if (i == null && !foldedOrdinals.isEmpty()) {
            i = foldedOrdinals.get(code.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(i);
    }

    public boolean inactive(int ordinal) {
        return inactive.get(ordinal);
    }

    @Override
    public void dropInactive(BitSet selected) {
        selected.andNot(inactive);
    }

    public boolean isAbstract(int ordinal) {
        return ConceptProperties.notSelectable(concepts[ordinal]);
    }

    public int[] parents(int ordinal) {
        return parents[ordinal];
    }

    public int[] children(int ordinal) {
        return children[ordinal];
    }

    /** The concept and every concept below it. */
    public BitSet descendantsOrSelf(int ordinal) {
        return closure(ordinal, children);
    }

    /** The concept and every concept above it. */
    public BitSet ancestorsOrSelf(int ordinal) {
        return closure(ordinal, parents);
    }

    private static BitSet closure(int start, int[][] edges) {
        BitSet seen = new BitSet();
        seen.set(start);
        int[] todo = new int[16];
        int n = 0;
        todo[n++] = start;
        while (n > 0) {
            int next = todo[--n];
            for (int e : edges[next]) {
                if (!seen.get(e)) {
                    seen.set(e);
                    if (n == todo.length) {
                        todo = Arrays.copyOf(todo, n * 2);
                    }
                    todo[n++] = e;
                }
            }
        }
        return seen;
    }

    /** The concepts whose code or display has a word starting with each word of the text (case-insensitive). */
    public BitSet matching(String text) {
        return words.matching(text, concepts.length);
    }
}
