package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.RequestBodies;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * The input parameters of a terminology operation: from the query string (GET) or a Parameters body (POST), the
 * query taking precedence. Complex values (Coding, CodeableConcept, a ValueSet) only come in the body.
 */
final class OperationInput {

    private final FhirRequest request;
    private final Parameters body;

    private OperationInput(FhirRequest request, Parameters body) {
        this.request = request;
        this.body = body;
    }

    static OperationInput of(FhirRequest request) {
        if (!request.hasBody()) {
            return new OperationInput(request, null);
        }
        Resource r = ResourceReader.read(request.body(), RequestBodies.format(request));
        if (!(r instanceof Parameters p)) {
            throw FhirException.invalid("the body of a terminology operation must be a Parameters resource, not a "
                    + r.fhirType());
        }
        return new OperationInput(request, p);
    }

    Optional<String> string(String name) {
        Optional<String> query = request.params().first(name);
        if (query.isPresent()) {
            return query.filter(s -> !s.isEmpty());
        }
        return part(name).filter(ParametersParameterComponent::hasValue)
                .map(p -> p.getValue().primitiveValue()).filter(s -> s != null && !s.isEmpty());
    }

    /** Every value of a repeating parameter, from the query and the body. */
    java.util.List<String> strings(String name) {
        java.util.List<String> out = new java.util.ArrayList<>(request.params().values(name));
        if (body != null) {
            body.getParameter().stream().filter(p -> name.equals(p.getName()) && p.hasValue())
                    .forEach(p -> out.add(p.getValue().primitiveValue()));
        }
        return out;
    }

    String required(String name, String operation) {
        return string(name).orElseThrow(() -> FhirException.invalid("$" + operation + " needs the parameter '"
                + name + "'"));
    }

    boolean bool(String name) {
        Optional<String> v = string(name);
        if (v.isPresent() && !v.get().equals("true") && !v.get().equals("false")) {
            throw FhirException.invalid("the parameter '" + name + "' must be true or false, got '" + v.get() + "'");
        }
        return v.map(Boolean::parseBoolean).orElse(false);
    }

    Optional<Integer> integer(String name) {
        Optional<String> v = string(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int i = Integer.parseInt(v.get());
            if (i < 0) {
                throw new NumberFormatException();
            }
            return Optional.of(i);
        } catch (NumberFormatException e) {
            throw FhirException.invalid("the parameter '" + name + "' must be a non-negative integer, got '"
                    + v.get() + "'");
        }
    }

    Optional<Coding> coding(String name) {
        return part(name).map(p -> {
            if (!(p.getValue() instanceof Coding c)) {
                throw FhirException.invalid("the parameter '" + name + "' must be a valueCoding");
            }
            return c;
        });
    }

    Optional<CodeableConcept> codeableConcept(String name) {
        return part(name).map(p -> {
            if (!(p.getValue() instanceof CodeableConcept c)) {
                throw FhirException.invalid("the parameter '" + name + "' must be a valueCodeableConcept");
            }
            return c;
        });
    }

    <T extends Resource> Optional<T> resource(String name, Class<T> type) {
        return part(name).map(p -> {
            if (!type.isInstance(p.getResource())) {
                throw FhirException.invalid("the parameter '" + name + "' must hold a " + type.getSimpleName());
            }
            return type.cast(p.getResource());
        });
    }

    private Optional<ParametersParameterComponent> part(String name) {
        if (body == null) {
            return Optional.empty();
        }
        return body.getParameter().stream().filter(p -> name.equals(p.getName())).findFirst();
    }
}
