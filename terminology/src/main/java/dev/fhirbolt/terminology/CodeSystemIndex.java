package dev.fhirbolt.terminology;

import java.util.BitSet;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;

/**
 * One version of a code system as the terminology operations read it: concepts numbered in definition order
 * (ordinals), codes to ordinals, the is-a hierarchy, inactive concepts, and a word index of codes and displays for
 * text filters. Two forms: {@link HeapCodeSystemIndex} for a CodeSystem held whole (the core ones, and those written
 * as resources), {@link StoredCodeSystemIndex} for an uploaded one, whose concepts and index stay in storage.
 * Selections are bit sets of ordinals, so an answer costs what it selects, not what the code system holds.
 */
public interface CodeSystemIndex {

    /** The CodeSystem resource (for an uploaded code system: without its concepts). */
    CodeSystem resource();

    default String url() {
        return resource().getUrl();
    }

    default Optional<String> version() {
        return Optional.ofNullable(resource().getVersion());
    }

    /** The number of concepts (nested ones included); ordinals run from 0 to {@code size() - 1}. */
    int size();

    /** Whether this code system holds its concepts (content complete or fragment), not only its name. */
    boolean hasContent();

    /** The concept's code, display, designations and properties (an uploaded one's without its definition). */
    ConceptDefinitionComponent concept(int ordinal);

    /** The concept with everything it has, its definition included. */
    default ConceptDefinitionComponent completeConcept(int ordinal) {
        return concept(ordinal);
    }

    /** The ordinal of a code; case-insensitive when the code system says it is not case-sensitive. */
    Optional<Integer> ordinal(String code);

    boolean inactive(int ordinal);

    /** Clears the inactive concepts from a selection. */
    void dropInactive(BitSet selected);

    default boolean isAbstract(int ordinal) {
        return ConceptProperties.notSelectable(concept(ordinal));
    }

    int[] parents(int ordinal);

    int[] children(int ordinal);

    /** The concept and every concept below it. */
    BitSet descendantsOrSelf(int ordinal);

    /** The concept and every concept above it. */
    BitSet ancestorsOrSelf(int ordinal);

    /** Whether {@code ancestor} is {@code descendant} or above it. */
    default boolean subsumes(int ancestor, int descendant) {
        return ancestor == descendant || ancestorsOrSelf(descendant).get(ancestor);
    }

    /** The concepts whose code or display has a word starting with each word of the text (case-insensitive). */
    BitSet matching(String text);

    /** {@link #matching(String)} for one concept, without the index. */
    default boolean matches(int ordinal, String text) {
        ConceptDefinitionComponent c = concept(ordinal);
        return WordIndex.matches(c.getCode(), c.getDisplay(), text);
    }

    /** Indexes a CodeSystem held whole (nested concepts are children of the concept they are nested in). */
    static CodeSystemIndex of(CodeSystem cs) {
        return HeapCodeSystemIndex.of(cs);
    }
}
