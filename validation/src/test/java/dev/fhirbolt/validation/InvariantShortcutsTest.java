package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.Test;

class InvariantShortcutsTest {

    @Test
    void splitsOnlyTopLevelOrChains() {
        assertEquals(List.of("a.exists()", "b.where(x or y).empty()", "c = 'p or q'"),
                InvariantShortcuts.topLevelOrs("a.exists() or b.where(x or y).empty() or c = 'p or q'"));
        assertEquals(List.of(), InvariantShortcuts.topLevelOrs("a.empty() or b.exists() implies c.exists()"));
        assertEquals(List.of("(a or b)"), InvariantShortcuts.topLevelOrs("(a or b)"));
    }

    @Test
    void answersHoldsOnlyWhenATermSettlesIt() {
        InvariantShortcuts obs6 = InvariantShortcuts.of("obs-6", "dataAbsentReason.empty() or value.empty()");
        Observation o = new Observation();
        o.setValue(new Quantity(1));
        assertTrue(obs6.triviallyHolds(o));
        o.getDataAbsentReason().setText("x");
        assertFalse(obs6.triviallyHolds(o), "both present: the engine decides");
        InvariantShortcuts obs7 = InvariantShortcuts.of("obs-7",
                "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()");
        assertTrue(obs7.triviallyHolds(o), "no component");
        o.addComponent().getCode().setText("c");
        assertFalse(obs7.triviallyHolds(o));
    }

    @Test
    void csd1IsAHashSetOverEveryCodeNestedOrNot() {
        InvariantShortcuts csd1 = InvariantShortcuts.of("csd-1",
                "concept.code.combine($this.descendants().concept.code).isDistinct()");
        org.hl7.fhir.r4.model.CodeSystem cs = new org.hl7.fhir.r4.model.CodeSystem();
        cs.addConcept().setCode("a").addConcept().setCode("b");
        cs.addConcept().setCode("c");
        assertTrue(csd1.triviallyHolds(cs));
        cs.getConcept().get(1).addConcept().setCode("b");
        assertFalse(csd1.triviallyHolds(cs), "b twice, nested: the engine decides");
    }
}
