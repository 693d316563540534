package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.CodeSystemIndex;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code CodeSystem/$lookup}: a code's display, its designations and properties, and its {@code parent} and
 * {@code child} codes as properties (restricted to the {@code property} parameters when given).
 */
public final class LookupOperation extends TerminologyOperation {

    private final TerminologyService terminology;

    public LookupOperation(TerminologyService terminology) {
        this.terminology = terminology;
    }

    @Override
    public String name() {
        return "lookup";
    }

    @Override
    public Set<String> types() {
        return Set.of("CodeSystem");
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/CodeSystem-lookup";
    }

    @Override
    IBaseResource answer(OperationInput input, Route route) {
        CodeSystems.Code code = CodeSystems.code(terminology, input, route, "lookup");
        CodeSystemIndex cs = code.codeSystem();
        int ordinal = cs.ordinal(code.code()).orElseThrow(() -> TerminologyOperation.unknown("the code '"
                + code.code() + "' of " + cs.url()));
        var concept = cs.completeConcept(ordinal);
        List<String> wanted = input.strings("property");
        Parameters out = new Parameters();
        out.addParameter().setName("name").setValue(new StringType(cs.resource().hasName() ? cs.resource().getName()
                : cs.url()));
        cs.version().ifPresent(v -> out.addParameter().setName("version").setValue(new StringType(v)));
        if (concept.hasDisplay()) {
            out.addParameter().setName("display").setValue(new StringType(concept.getDisplay()));
        }
        if (wanted.isEmpty() || wanted.contains("abstract")) {
            out.addParameter().setName("abstract").setValue(new BooleanType(cs.isAbstract(ordinal)));
        }
        if (concept.hasDefinition() && (wanted.isEmpty() || wanted.contains("definition"))) {
            property(out, "definition", new StringType(concept.getDefinition()));
        }
        if (wanted.isEmpty() || wanted.contains("designation")) {
            for (var d : concept.getDesignation()) {
                var part = out.addParameter().setName("designation");
                if (d.hasLanguage()) {
                    part.addPart().setName("language").setValue(new CodeType(d.getLanguage()));
                }
                if (d.hasUse()) {
                    part.addPart().setName("use").setValue(d.getUse());
                }
                part.addPart().setName("value").setValue(new StringType(d.getValue()));
            }
        }
        for (var p : concept.getProperty()) {
            if ((wanted.isEmpty() || wanted.contains(p.getCode())) && p.hasValue()
                    && !"parent".equals(p.getCode()) && !"child".equals(p.getCode())) {
                property(out, p.getCode(), p.getValue());
            }
        }
        if (wanted.isEmpty() || wanted.contains("parent")) {
            for (int parent : cs.parents(ordinal)) {
                property(out, "parent", new CodeType(cs.concept(parent).getCode()));
            }
        }
        if (wanted.isEmpty() || wanted.contains("child")) {
            for (int child : cs.children(ordinal)) {
                property(out, "child", new CodeType(cs.concept(child).getCode()));
            }
        }
        return out;
    }

    private static void property(Parameters out, String code, org.hl7.fhir.r4.model.Type value) {
        var part = out.addParameter().setName("property");
        part.addPart().setName("code").setValue(new CodeType(code));
        part.addPart().setName("value").setValue(value);
    }
}
