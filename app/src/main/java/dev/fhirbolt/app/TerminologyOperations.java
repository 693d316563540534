package dev.fhirbolt.app;

import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.terminology.ExpandOperation;
import dev.fhirbolt.rest.terminology.LookupOperation;
import dev.fhirbolt.rest.terminology.SubsumesOperation;
import dev.fhirbolt.rest.terminology.TranslateOperation;
import dev.fhirbolt.rest.terminology.ValidateCodeOperation;
import dev.fhirbolt.terminology.TerminologyService;

/** Registers the terminology operations ($expand, $lookup, $validate-code, $subsumes, $translate). */
final class TerminologyOperations {

    private TerminologyOperations() {
    }

    static void register(FhirApi.Builder builder, TerminologyService terminology) {
        builder.operation(new ExpandOperation(terminology))
                .operation(new LookupOperation(terminology))
                .operation(new ValidateCodeOperation(terminology, "ValueSet"))
                .operation(new ValidateCodeOperation(terminology, "CodeSystem"))
                .operation(new SubsumesOperation(terminology))
                .operation(new TranslateOperation(terminology));
    }
}
