package dev.fhirbolt.terminology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.junit.jupiter.api.Test;

class CodeSystemIndexTest {

    static CodeSystem animals() {
        CodeSystem cs = new CodeSystem();
        cs.setUrl("http://example.org/animals").setCaseSensitive(true);
        var animal = cs.addConcept().setCode("animal").setDisplay("Animal");
        var mammal = animal.addConcept().setCode("mammal").setDisplay("Mammal");
        mammal.addConcept().setCode("dog").setDisplay("Domestic dog");
        mammal.addConcept().setCode("cat").setDisplay("Domestic cat");
        // a second parent through the property
        cs.addConcept().setCode("pet").setDisplay("Pet");
        cs.addConcept().setCode("hamster").setDisplay("Golden hamster")
                .addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("parent"), new CodeType("pet")))
                .addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("parent"), new CodeType("mammal")))
                .addProperty(new CodeSystem.ConceptPropertyComponent(new CodeType("inactive"), new BooleanType(true)));
        return cs;
    }

    static List<String> codes(CodeSystemIndex cs, BitSet set) {
        List<String> out = new ArrayList<>();
        set.stream().forEach(i -> out.add(cs.concept(i).getCode()));
        return out;
    }

    @Test
    void hierarchyFromNestingAndProperties() {
        CodeSystemIndex cs = CodeSystemIndex.of(animals());
        int mammal = cs.ordinal("mammal").orElseThrow();
        assertEquals(List.of("mammal", "dog", "cat", "hamster"), codes(cs, cs.descendantsOrSelf(mammal)));
        int hamster = cs.ordinal("hamster").orElseThrow();
        assertEquals(List.of("animal", "mammal", "pet", "hamster"), codes(cs, cs.ancestorsOrSelf(hamster)));
        assertTrue(cs.subsumes(cs.ordinal("animal").orElseThrow(), hamster));
        assertFalse(cs.subsumes(cs.ordinal("dog").orElseThrow(), hamster));
        assertTrue(cs.inactive(hamster));
        assertEquals(2, cs.parents(hamster).length);
    }

    @Test
    void wordPrefixFilter() {
        CodeSystemIndex cs = CodeSystemIndex.of(animals());
        assertEquals(List.of("dog", "cat"), codes(cs, cs.matching("DOM")));
        assertEquals(List.of("cat"), codes(cs, cs.matching("domestic c")));
        assertEquals(List.of("hamster"), codes(cs, cs.matching("hams")));
        assertEquals(List.of(), codes(cs, cs.matching("domestic h")));
        assertTrue(cs.matches(cs.ordinal("cat").orElseThrow(), "dom ca"));
        assertEquals(6, cs.matching("  ").cardinality());
    }

    @Test
    void caseInsensitiveCodesWhenTheSystemSaysSo() {
        CodeSystem c = animals().setCaseSensitive(false);
        assertTrue(CodeSystemIndex.of(c).ordinal("DOG").isPresent());
        assertFalse(CodeSystemIndex.of(animals()).ordinal("DOG").isPresent());
    }
}
