package dev.fhirbolt.validation;

import java.util.List;
import org.hl7.fhir.exceptions.FHIRFormatError;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * HAPI's element-model JSON parser, finding the definition of the resource's type by URL in a map: HAPI's own
 * lookup walks every StructureDefinition of the context comparing URLs (about 650; 4 % of a Patient's
 * validation). It looks for {@code http://hl7.org/fhir/StructureDefinition/<resourceType>} first and takes the first
 * match in the context's order; so does this, falling back to HAPI's walk (its further passes, its error) when there
 * is none.
 */
final class DefinitionLookupJsonParser extends JsonParser {

    private static final String CORE = "http://hl7.org/fhir/StructureDefinition/";

    private final CachingWorkerContext definitions;

    DefinitionLookupJsonParser(CachingWorkerContext context, ProfileUtilities utilities) {
        super(context, utilities);
        this.definitions = context;
    }

    @Override
    protected StructureDefinition getDefinition(List<ValidationMessage> errors, int line, int col, String name)
            throws FHIRFormatError {
        StructureDefinition sd = name == null ? null : definitions.firstStructureDefinition(CORE + name);
        if (sd == null) {
            return super.getDefinition(errors, line, col, name);
        }
        getContextUtilities().generateSnapshot(sd);
        return sd;
    }
}
