package dev.fhirbolt.search.param;

import ca.uhn.fhir.fhirpath.IFhirPath;
import java.util.function.Supplier;

/**
 * A FHIRPath expression parsed on first use. Parsing needs a FHIRPath engine, and the first engine loads every R4
 * StructureDefinition (seconds of CPU, ~100 MB of heap); most paths are evaluated by {@link SimplePath} and never
 * need it, so start-up does not pay for it.
 */
public final class LazyExpression implements Supplier<IFhirPath.IParsedExpression> {

    private final String path;
    private volatile IFhirPath.IParsedExpression parsed;

    public LazyExpression(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    @Override
    public IFhirPath.IParsedExpression get() {
        IFhirPath.IParsedExpression result = parsed;
        if (result == null) {
            result = FhirPaths.parse(path);
            parsed = result;
        }
        return result;
    }
}
