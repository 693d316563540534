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

    /**
     * The display in {@code language} (a BCP-47 tag): the value of a designation in that language, or else in a
     * language it narrows or that narrows it ({@code de} and {@code de-CH} match each other, preferring the exact tag);
     * the concept's own display when there is none.
     */
    public String display(String language) {
        String exact = null;
        String related = null;
        for (var d : designations()) {
            String tag = d.getLanguage();
            if (tag == null || !d.hasValue()) {
                continue;
            }
            if (tag.equalsIgnoreCase(language)) {
                exact = exact == null ? d.getValue() : exact;
            } else if (related == null && primary(tag).equalsIgnoreCase(primary(language))) {
                related = d.getValue();
            }
        }
        return exact != null ? exact : related != null ? related : display;
    }

    private static String primary(String tag) {
        int dash = tag.indexOf('-');
        return dash < 0 ? tag : tag.substring(0, dash);
    }

    static Member of(CodeSystemIndex cs, int ordinal) {
        var c = cs.concept(ordinal);
        return new Member(cs.url(), cs.version().orElse(null), c.getCode(), c.getDisplay(), cs, ordinal);
    }
}
