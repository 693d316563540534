package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** What the terminology operations share: type and instance level, GET or POST, a resource as the answer. */
abstract class TerminologyOperation implements Operation {

    @Override
    public Set<Level> levels() {
        return Set.of(Level.TYPE, Level.INSTANCE);
    }

    @Override
    public final FhirResponse handle(FhirRequest request, Route route) {
        if (!"GET".equals(request.method()) && !"POST".equals(request.method())) {
            throw new FhirException(405, IssueType.NOT_SUPPORTED, "$" + name() + " is called with GET or POST");
        }
        return FhirResponse.of(200, new ResponseBody.Model(answer(OperationInput.of(request), route)));
    }

    abstract IBaseResource answer(OperationInput input, Route route);

    static FhirException unknown(String what) {
        return FhirException.notFound(what + " is not known to this server");
    }
}
