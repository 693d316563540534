package dev.fhirbolt.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/** The one R4 FhirContext of the process (costly to build, thread-safe once built) and what it knows of types. */
public final class Fhir {

    private static final FhirContext CONTEXT = create();
    private static final Set<String> RESOURCE_TYPES =
            Collections.unmodifiableSet(new TreeSet<>(CONTEXT.getResourceTypes()));

    private Fhir() {
    }

    private static FhirContext create() {
        FhirContext context = FhirContext.forCached(FhirVersionEnum.R4);
        context.setValidationSupport(new CoreTypeDefinitions(context));
        return context;
    }

    public static FhirContext context() {
        return CONTEXT;
    }

    /** Every R4 resource type name, sorted. */
    public static Set<String> resourceTypes() {
        return RESOURCE_TYPES;
    }

    public static boolean isResourceType(String name) {
        return RESOURCE_TYPES.contains(name);
    }
}
