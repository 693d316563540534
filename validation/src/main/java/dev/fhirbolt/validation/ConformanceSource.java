package dev.fhirbolt.validation;

import java.util.Optional;
import org.hl7.fhir.r4.model.StructureDefinition;

/** Where profiles beyond the core specification come from (the StructureDefinitions stored on the server). */
@FunctionalInterface
public interface ConformanceSource {

    ConformanceSource NONE = url -> Optional.empty();

    Optional<StructureDefinition> structureDefinition(String url);
}
