package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.CodeSystemIndex;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code CodeSystem/$subsumes}: how {@code codeA} relates to {@code codeB} (or {@code codingA}/{@code codingB}) in the
 * code system's is-a hierarchy: equivalent, subsumes, subsumed-by or not-subsumed.
 */
public final class SubsumesOperation extends TerminologyOperation {

    private final TerminologyService terminology;

    public SubsumesOperation(TerminologyService terminology) {
        this.terminology = terminology;
    }

    @Override
    public String name() {
        return "subsumes";
    }

    @Override
    public Set<String> types() {
        return Set.of("CodeSystem");
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/CodeSystem-subsumes";
    }

    @Override
    IBaseResource answer(OperationInput input, Route route) {
        Optional<Coding> codingA = input.coding("codingA");
        Optional<Coding> codingB = input.coding("codingB");
        String a = input.string("codeA").or(() -> codingA.map(Coding::getCode)).orElseThrow(() ->
                FhirException.invalid("$subsumes needs codeA (or codingA)"));
        String b = input.string("codeB").or(() -> codingB.map(Coding::getCode)).orElseThrow(() ->
                FhirException.invalid("$subsumes needs codeB (or codingB)"));
        Optional<String> system = input.string("system").or(() -> codingA.map(Coding::getSystem));
        String systemB = codingB.map(Coding::getSystem).orElse(null);
        if (system.isPresent() && systemB != null && !systemB.equals(system.get())) {
            throw FhirException.invalid("$subsumes compares codes of one code system; codingB is of " + systemB);
        }
        CodeSystemIndex cs = CodeSystems.named(terminology, route, system, input.string("version"), "subsumes");
        int ordinalA = ordinal(cs, a);
        int ordinalB = ordinal(cs, b);
        String outcome = ordinalA == ordinalB ? "equivalent"
                : cs.subsumes(ordinalA, ordinalB) ? "subsumes"
                : cs.subsumes(ordinalB, ordinalA) ? "subsumed-by" : "not-subsumed";
        Parameters out = new Parameters();
        out.addParameter().setName("outcome").setValue(new CodeType(outcome));
        return out;
    }

    private static int ordinal(CodeSystemIndex cs, String code) {
        return cs.ordinal(code).orElseThrow(() -> FhirException.invalid("the code '" + code + "' is not in the code"
                + " system " + cs.url()));
    }
}
