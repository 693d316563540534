package dev.fhirbolt.validation;

import dev.fhirbolt.fhir.FhirFormat;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/**
 * Validates resources against the core specification and profiles. Implementations are thread-safe; the rest of the
 * server knows validation only through this interface.
 */
public interface ResourceValidator {

    /**
     * Validates a resource as text, so that issues carry line and column.
     *
     * @param profiles canonical URLs of profiles to check besides the core definitions and {@code meta.profile}
     */
    ValidationReport validate(String text, FhirFormat format, List<String> profiles);

    /** Validates a resource held as a model (no line and column in the issues). */
    ValidationReport validate(Resource resource, List<String> profiles);
}
