package dev.fhirbolt.terminology;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.CodeSystem.ConceptDefinitionComponent;
import org.hl7.fhir.r4.model.CodeSystem.ConceptPropertyComponent;

/** What the standard concept properties (status, inactive, notSelectable) say about a concept. */
final class ConceptProperties {

    private ConceptProperties() {
    }

    static boolean inactive(ConceptDefinitionComponent c) {
        for (ConceptPropertyComponent p : c.getProperty()) {
            String v = value(p).orElse("");
            if ("inactive".equals(p.getCode()) && "true".equals(v)
                    || "status".equals(p.getCode()) && ("retired".equals(v) || "inactive".equals(v))) {
                return true;
            }
        }
        return false;
    }

    static boolean notSelectable(ConceptDefinitionComponent c) {
        return c.getProperty().stream().anyMatch(p -> ("notSelectable".equals(p.getCode())
                || "abstract".equals(p.getCode())) && "true".equals(value(p).orElse("")));
    }

    /** The values of a property as text (codes, strings, booleans, Coding codes). */
    static List<String> values(ConceptDefinitionComponent c, String property) {
        return c.getProperty().stream().filter(p -> property.equals(p.getCode())).map(ConceptProperties::value)
                .flatMap(Optional::stream).collect(Collectors.toList());
    }

    static Optional<String> value(ConceptPropertyComponent p) {
        if (!p.hasValue()) {
            return Optional.empty();
        }
        if (p.hasValueCoding()) {
            return Optional.ofNullable(p.getValueCoding().getCode());
        }
        return p.getValue().isPrimitive() ? Optional.ofNullable(p.getValue().primitiveValue()) : Optional.empty();
    }
}
