package dev.fhirbolt.search.param;

import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import dev.fhirbolt.fhir.Fhir;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * HAPI's R4 FHIRPath engine, one per thread. {@code resolve()} answers an empty resource of the referenced type, which
 * is all the search parameter paths ask of it ({@code resolve() is Patient}).
 */
public final class FhirPaths {

    private static final ThreadLocal<IFhirPath> ENGINE = ThreadLocal.withInitial(FhirPaths::create);

    private FhirPaths() {
    }

    private static IFhirPath create() {
        IFhirPath engine = Fhir.context().newFhirPath();
        engine.setEvaluationContext(new IFhirPathEvaluationContext() {
            @Override
            public IBase resolveReference(IIdType id, IBase context) {
                if (id == null || !id.hasResourceType() || !Fhir.isResourceType(id.getResourceType())) {
                    return null;
                }
                return Fhir.context().getResourceDefinition(id.getResourceType()).newInstance();
            }
        });
        return engine;
    }

    public static IFhirPath.IParsedExpression parse(String expression) {
        try {
            return ENGINE.get().parse(expression);
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid FHIRPath: " + expression + ": " + e.getMessage(), e);
        }
    }

    public static List<IBase> evaluate(IBase input, IFhirPath.IParsedExpression expression) {
        return ENGINE.get().evaluate(input, expression, IBase.class);
    }
}
