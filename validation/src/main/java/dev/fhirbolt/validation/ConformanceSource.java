package dev.fhirbolt.validation;

import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Where conformance resources beyond the core specification come from (those stored on the server, e.g. installed
 * from packages): profiles, and the value sets and code systems their bindings name.
 */
@FunctionalInterface
public interface ConformanceSource {

    ConformanceSource NONE = url -> Optional.empty();

    Optional<StructureDefinition> structureDefinition(String url);

    default Optional<ValueSet> valueSet(String url) {
        return Optional.empty();
    }

    default Optional<CodeSystem> codeSystem(String url) {
        return Optional.empty();
    }

    /** Every profile known, for the CapabilityStatement. */
    default List<StructureDefinition> structureDefinitions() {
        return List.of();
    }
}
