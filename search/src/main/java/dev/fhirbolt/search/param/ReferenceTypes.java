package dev.fhirbolt.search.param;

import dev.fhirbolt.fhir.Fhir;
import java.util.List;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.BaseHostServices;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * FHIRPath host services for indexing: {@code resolve()} gives an empty resource of the type a reference names, so
 * that {@code where(resolve() is Patient)} works without reading anything; nothing else is resolvable.
 */
final class ReferenceTypes extends BaseHostServices {

    ReferenceTypes(IWorkerContext worker) {
        super(worker);
    }

    @Override
    public Base resolveReference(FHIRPathEngine engine, Object appContext, String url, Base refContext) {
        if (url == null) {
            return null;
        }
        IdType id = new IdType(url);
        if (!id.hasResourceType() || !Fhir.isResourceType(id.getResourceType())) {
            return null;
        }
        return (Base) Fhir.context().getResourceDefinition(id.getResourceType()).newInstance();
    }

    @Override
    public boolean log(String argument, List<Base> focus) {
        return false;
    }

    @Override
    public boolean conformsToProfile(FHIRPathEngine engine, Object appContext, Base item, String url) {
        return false;
    }

    @Override
    public ValueSet resolveValueSet(FHIRPathEngine engine, Object appContext, String url) {
        return null;
    }

    @Override
    public boolean paramIsType(String name, int index) {
        return false;
    }
}
