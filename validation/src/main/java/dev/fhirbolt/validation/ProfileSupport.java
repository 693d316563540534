package dev.fhirbolt.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** Puts a {@link ConformanceSource} into HAPI's validation support chain: profiles the core does not know. */
final class ProfileSupport implements IValidationSupport {

    private final FhirContext context;
    private final ConformanceSource source;

    ProfileSupport(FhirContext context, ConformanceSource source) {
        this.context = context;
        this.source = source;
    }

    @Override
    public FhirContext getFhirContext() {
        return context;
    }

    @Override
    public String getName() {
        return "fhirbolt-stored-profiles";
    }

    @Override
    public IBaseResource fetchStructureDefinition(String url) {
        if (url == null || url.startsWith("http://hl7.org/fhir/StructureDefinition/")) {
            return null;
        }
        return source.structureDefinition(url).orElse(null);
    }
}
