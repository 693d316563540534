package dev.fhirbolt.terminology;

import java.util.List;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionDesignationComponent;

/**
 * One code of a value set: its system, code and display, and the code system concept it comes from when the code
 * system is known ({@code index} null and {@code ordinal} -1 otherwise).
 */
public record Member(String system, String version, String code, String display, CodeSystemIndex index,
        int ordinal) {

    String key() {
        return system + '\u0000' + code;
    }

    public boolean inactive() {
        return index != null && index.inactive(ordinal);
    }

    public boolean isAbstract() {
        return index != null && index.isAbstract(ordinal);
    }

    public List<ConceptDefinitionDesignationComponent> designations() {
        return index == null ? List.of() : index.concept(ordinal).getDesignation();
    }

    static Member of(CodeSystemIndex cs, int ordinal) {
        var c = cs.concept(ordinal);
        return new Member(cs.url(), cs.version().orElse(null), c.getCode(), c.getDisplay(), cs, ordinal);
    }
}
