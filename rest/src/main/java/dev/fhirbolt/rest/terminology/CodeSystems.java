package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.CodeSystemIndex;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;

/** The code system and code an operation is about: the instance or {@code system} (and version), and a code. */
final class CodeSystems {

    /** A code in a known code system. */
    record Code(CodeSystemIndex codeSystem, String code, Optional<String> display) {
    }

    private CodeSystems() {
    }

    static CodeSystemIndex named(TerminologyService terminology, Route route, Optional<String> system,
            Optional<String> version, String operation) {
        if (route.id().isPresent()) {
            return terminology.codeSystemById(route.requireId())
                    .orElseThrow(() -> TerminologyOperation.unknown("CodeSystem/" + route.requireId()));
        }
        String url = system.orElseThrow(() -> FhirException.invalid("$" + operation + " needs the code system:"
                + " CodeSystem/[id]/$" + operation + " or system (or a coding)"));
        return terminology.codeSystem(url, version.orElse(null))
                .orElseThrow(() -> TerminologyOperation.unknown("the code system " + url
                        + version.map(v -> " version " + v).orElse("")));
    }

    /** From {@code code} + {@code system} (+ {@code version}), or {@code coding}. */
    static Code code(TerminologyService terminology, OperationInput input, Route route, String operation) {
        Optional<Coding> coding = input.coding("coding");
        Optional<String> code = input.string("code").or(() -> coding.map(Coding::getCode));
        Optional<String> system = input.string("system").or(() -> coding.map(Coding::getSystem));
        Optional<String> version = input.string("version").or(() -> coding.map(Coding::getVersion));
        if (code.isEmpty()) {
            throw FhirException.invalid("$" + operation + " needs code (with system) or coding");
        }
        CodeSystemIndex cs = named(terminology, route, system, version, operation);
        return new Code(cs, code.get(), input.string("display").or(() -> coding.map(Coding::getDisplay)));
    }
}
