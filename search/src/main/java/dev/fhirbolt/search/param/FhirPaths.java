package dev.fhirbolt.search.param;

import dev.fhirbolt.fhir.Fhir;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.fhir.ucum.UcumService;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;

/**
 * The R4 FHIRPath engine: for the search parameter paths {@link SimplePath} cannot evaluate, and for FHIRPath Patch.
 *
 * <p>Built here rather than through {@code FhirContext.newFhirPath()} for two reasons: its worker context gets a UCUM
 * service, without which the engine fails on any union or comparison of two Quantities (the Observation
 * {@code component-value-quantity} path on a blood pressure, for one); and the type hierarchy comes from the
 * FhirContext's core type outlines, so creating an engine costs milliseconds. {@code resolve()} answers an empty
 * resource of the referenced type ({@link ReferenceTypes}), which is all search parameter paths ask of it
 * ({@code resolve() is Patient}). Engines are not meant for concurrent use, so they are pooled.
 */
public final class FhirPaths {

    private static final ConcurrentLinkedDeque<FHIRPathEngine> POOL = new ConcurrentLinkedDeque<>();
    private static final UcumService UCUM = loadUcum();

    private FhirPaths() {
    }

    private static UcumService loadUcum() {
        try (InputStream essence = UcumEssenceService.class.getResourceAsStream("/ucum-essence.xml")) {
            return new UcumEssenceService(essence);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UcumException e) {
            throw new IllegalStateException("cannot read the UCUM definitions", e);
        }
    }

    private static FHIRPathEngine create() {
        IWorkerContext worker = withUcum(new HapiWorkerContext(Fhir.context(), Fhir.context().getValidationSupport()));
        FHIRPathEngine engine = new FHIRPathEngine(worker);
        // as HAPI's own FhirPathR4 sets them: the spec's search parameter paths rely on both
        engine.setDoNotEnforceAsCaseSensitive(true);
        engine.setDoNotEnforceAsSingletonRule(true);
        engine.setHostServices(new ReferenceTypes(worker));
        return engine;
    }

    /** HAPI's worker context is final and refuses getUcumService(); this one answers it and delegates the rest. */
    private static IWorkerContext withUcum(IWorkerContext hapi) {
        return (IWorkerContext) Proxy.newProxyInstance(FhirPaths.class.getClassLoader(),
                new Class<?>[] {IWorkerContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getUcumService") && method.getParameterCount() == 0) {
                        return UCUM;
                    }
                    try {
                        return method.invoke(hapi, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The engine's UCUM service, for code that must decide quantity equality as the engine does. */
    static UcumService ucum() {
        return UCUM;
    }

    public static ExpressionNode parse(String expression) {
        FHIRPathEngine engine = borrow();
        try {
            return engine.parse(expression);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid FHIRPath: " + expression + ": " + e.getMessage(), e);
        } finally {
            POOL.offerFirst(engine);
        }
    }

    public static List<Base> evaluate(IBase input, ExpressionNode expression) {
        FHIRPathEngine engine = borrow();
        try {
            return engine.evaluate((Base) input, expression);
        } finally {
            POOL.offerFirst(engine);
        }
    }

    private static FHIRPathEngine borrow() {
        FHIRPathEngine engine = POOL.pollFirst();
        return engine != null ? engine : create();
    }
}
