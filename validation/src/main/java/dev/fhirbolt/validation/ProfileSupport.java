package dev.fhirbolt.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Puts a {@link ConformanceSource} into HAPI's validation support chain: profiles, value sets and code systems the
 * core does not know.
 */
final class ProfileSupport implements IValidationSupport {

    private static final String CORE = "http://hl7.org/fhir/";

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
        return "fhirbolt-stored-conformance";
    }

    @Override
    public IBaseResource fetchStructureDefinition(String url) {
        if (url == null || url.startsWith("http://hl7.org/fhir/StructureDefinition/")) {
            return null;
        }
        return source.structureDefinition(url).orElse(null);
    }

    @Override
    public IBaseResource fetchValueSet(String url) {
        return url == null || isCore(url) ? null : source.valueSet(strip(url)).orElse(null);
    }

    @Override
    public IBaseResource fetchCodeSystem(String url) {
        return url == null || isCore(url) ? null : source.codeSystem(strip(url)).orElse(null);
    }

    @Override
    public boolean isValueSetSupported(ca.uhn.fhir.context.support.ValidationSupportContext context, String url) {
        return fetchValueSet(url) != null;
    }

    @Override
    public boolean isCodeSystemSupported(ca.uhn.fhir.context.support.ValidationSupportContext context, String url) {
        return fetchCodeSystem(url) != null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends IBaseResource> T fetchResource(Class<T> type, String url) {
        if (type == null || url == null) {
            return null;
        }
        String name = type.getSimpleName();
        IBaseResource found = switch (name) {
            case "StructureDefinition" -> fetchStructureDefinition(url);
            case "ValueSet" -> fetchValueSet(url);
            case "CodeSystem" -> fetchCodeSystem(url);
            default -> null;
        };
        return type.isInstance(found) ? (T) found : null;
    }

    private static boolean isCore(String url) {
        return url.startsWith(CORE + "ValueSet/") || url.startsWith(CORE + "CodeSystem/")
                || (url.startsWith(CORE) && !url.substring(CORE.length()).contains("/"));
    }

    private static String strip(String url) {
        int bar = url.indexOf('|');
        return bar < 0 ? url : url.substring(0, bar);
    }
}
