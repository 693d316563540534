package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.Optional;
import org.hl7.fhir.r4.model.ValueSet;

/** The value set an operation is about: the instance, a canonical URL (and version), or one in the body. */
final class ValueSets {

    private ValueSets() {
    }

    static ValueSet named(TerminologyService terminology, OperationInput input, Route route, String urlParam,
            String versionParam, String resourceParam, String operation) {
        Optional<ValueSet> given = input.resource(resourceParam, ValueSet.class);
        if (route.id().isPresent()) {
            return terminology.valueSetById(route.requireId())
                    .orElseThrow(() -> TerminologyOperation.unknown("ValueSet/" + route.requireId()));
        }
        if (given.isPresent()) {
            return given.get();
        }
        Optional<String> url = input.string(urlParam);
        if (url.isEmpty()) {
            throw FhirException.invalid("$" + operation + " needs the value set: ValueSet/[id]/$" + operation + ", "
                    + urlParam + ", or a " + resourceParam + " in a Parameters body");
        }
        String canonical = url.get() + input.string(versionParam).map(v -> "|" + v).orElse("");
        return terminology.valueSet(canonical)
                .orElseThrow(() -> TerminologyOperation.unknown("the value set " + canonical));
    }
}
