package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.CodeSystemIndex;
import dev.fhirbolt.terminology.Member;
import dev.fhirbolt.terminology.TerminologyService;
import dev.fhirbolt.terminology.ValueSetMembership;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * {@code ValueSet/$validate-code} and {@code CodeSystem/$validate-code}: whether a code ({@code code} + {@code system},
 * {@code coding}, or any coding of a {@code codeableConcept}) is in the value set or code system. Answers
 * {@code result}, {@code display} and a {@code message}; a display that is not the code's is a warning in the message
 * and leaves the result true.
 */
public final class ValidateCodeOperation extends TerminologyOperation {

    private final TerminologyService terminology;
    private final ValueSetMembership membership;
    private final String type;

    /** @param type ValueSet or CodeSystem: each has its own OperationDefinition */
    public ValidateCodeOperation(TerminologyService terminology, String type) {
        if (!type.equals("ValueSet") && !type.equals("CodeSystem")) {
            throw new IllegalArgumentException("$validate-code is for ValueSet or CodeSystem, not " + type);
        }
        this.terminology = terminology;
        this.membership = new ValueSetMembership(terminology);
        this.type = type;
    }

    @Override
    public String name() {
        return "validate-code";
    }

    @Override
    public Set<String> types() {
        return Set.of(type);
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/" + type + "-validate-code";
    }

    @Override
    IBaseResource answer(OperationInput input, Route route) {
        boolean codeSystem = route.requireType().equals("CodeSystem");
        List<Coding> codings = codings(input, codeSystem);
        if (codeSystem) {
            CodeSystemIndex cs = CodeSystems.named(terminology, route, input.string("url")
                    .or(() -> Optional.ofNullable(codings.get(0).getSystem())), input.string("version"),
                    "validate-code");
            for (Coding c : codings) {
                if (c.getSystem() != null && !c.getSystem().equals(cs.url())) {
                    continue;
                }
                Optional<Integer> ordinal = cs.ordinal(c.getCode());
                if (ordinal.isPresent()) {
                    var concept = cs.concept(ordinal.get());
                    return result(new Member(cs.url(), cs.version().orElse(null), concept.getCode(),
                            concept.getDisplay(), cs, ordinal.get()), c);
                }
            }
            return failure("the code '" + codings.get(0).getCode() + "' is not in the code system " + cs.url());
        }
        ValueSet vs = ValueSets.named(terminology, input, route, "url", "valueSetVersion", "valueSet",
                "validate-code");
        try {
            for (Coding c : codings) {
                Optional<Member> m = membership.find(vs, c.getSystem(), c.getCode());
                if (m.isPresent()) {
                    return result(m.get(), c);
                }
            }
        } catch (FhirException e) {
            if (e.status() != 422) {
                throw e;
            }
            return failure(e.getMessage());
        }
        Coding first = codings.get(0);
        return failure("the code '" + (first.hasSystem() ? first.getSystem() + "|" : "") + first.getCode()
                + "' is not in the value set " + vs.getUrl());
    }

    private static List<Coding> codings(OperationInput input, boolean codeSystem) {
        List<Coding> out = new ArrayList<>();
        Optional<String> code = input.string("code");
        if (code.isPresent()) {
            Coding c = new Coding(input.string("system").orElse(null), code.get(), input.string("display")
                    .orElse(null));
            if (codeSystem && c.getSystem() == null) {
                c.setSystem(input.string("url").orElse(null));
            }
            out.add(c);
        }
        input.coding("coding").ifPresent(out::add);
        input.codeableConcept("codeableConcept").ifPresent(cc -> out.addAll(cc.getCoding()));
        if (out.isEmpty()) {
            throw FhirException.invalid("$validate-code needs code (with system), coding or codeableConcept");
        }
        for (Coding c : out) {
            if (!c.hasCode()) {
                throw FhirException.invalid("$validate-code: a coding without a code");
            }
        }
        return out;
    }

    private static Parameters result(Member m, Coding asked) {
        Parameters out = new Parameters();
        out.addParameter().setName("result").setValue(new BooleanType(true));
        if (m.display() != null) {
            out.addParameter().setName("display").setValue(new StringType(m.display()));
        }
        if (asked.hasDisplay() && !displays(m).contains(asked.getDisplay())) {
            out.addParameter().setName("message").setValue(new StringType("warning: the display '"
                    + asked.getDisplay() + "' is not the display of " + m.system() + "|" + m.code() + " ('"
                    + m.display() + "')"));
        }
        return out;
    }

    private static List<String> displays(Member m) {
        List<String> out = new ArrayList<>();
        if (m.display() != null) {
            out.add(m.display());
        }
        m.designations().forEach(d -> out.add(d.getValue()));
        return out;
    }

    private static Parameters failure(String message) {
        Parameters out = new Parameters();
        out.addParameter().setName("result").setValue(new BooleanType(false));
        out.addParameter().setName("message").setValue(new StringType(message));
        return out;
    }
}
