package dev.fhirbolt.search.param;

import ca.uhn.fhir.fhirpath.IFhirPath;
import ca.uhn.fhir.fhirpath.IFhirPathEvaluationContext;
import dev.fhirbolt.fhir.Fhir;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * HAPI's R4 FHIRPath engine. {@code resolve()} answers an empty resource of the referenced type, which is all the
 * search parameter paths ask of it ({@code resolve() is Patient}).
 *
 * <p>An engine is costly to create (it loads every StructureDefinition) and not meant for concurrent use, so engines
 * are pooled: a call borrows one and gives it back, and a new one is made only when all are busy. Since most index
 * paths are evaluated by {@link SimplePath}, one or two engines serve a whole server.
 */
public final class FhirPaths {

    private static final java.util.concurrent.ConcurrentLinkedDeque<IFhirPath> POOL =
            new java.util.concurrent.ConcurrentLinkedDeque<>();

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
            IFhirPath engine = borrow();
            try {
                return engine.parse(expression);
            } finally {
                POOL.offerFirst(engine);
            }
        } catch (Exception e) {
            throw new IllegalArgumentException("invalid FHIRPath: " + expression + ": " + e.getMessage(), e);
        }
    }

    public static List<IBase> evaluate(IBase input, IFhirPath.IParsedExpression expression) {
        IFhirPath engine = borrow();
        try {
            return engine.evaluate(input, expression, IBase.class);
        } finally {
            POOL.offerFirst(engine);
        }
    }

    private static IFhirPath borrow() {
        IFhirPath engine = POOL.pollFirst();
        return engine != null ? engine : create();
    }
}
