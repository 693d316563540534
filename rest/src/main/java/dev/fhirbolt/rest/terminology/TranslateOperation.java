package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.ConceptMapTranslator;
import dev.fhirbolt.terminology.TerminologyService;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;

/**
 * {@code ConceptMap/$translate}: the codes a code maps to, with the map by id, {@code url} or {@code conceptMap}, or
 * every stored map whose source and target fit ({@code source}, {@code target} value sets and {@code targetsystem}
 * narrow the choice); {@code reverse} maps target codes back to their sources.
 */
public final class TranslateOperation extends TerminologyOperation {

    private final TerminologyService terminology;

    public TranslateOperation(TerminologyService terminology) {
        this.terminology = terminology;
    }

    @Override
    public String name() {
        return "translate";
    }

    @Override
    public Set<String> types() {
        return Set.of("ConceptMap");
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/ConceptMap-translate";
    }

    @Override
    IBaseResource answer(OperationInput input, Route route) {
        Optional<Coding> coding = input.coding("coding")
                .or(() -> input.codeableConcept("codeableConcept").flatMap(cc -> cc.getCoding().stream().findFirst()));
        String code = input.string("code").or(() -> coding.map(Coding::getCode)).orElseThrow(() ->
                FhirException.invalid("$translate needs code (with system), coding or codeableConcept"));
        String system = input.string("system").or(() -> coding.map(Coding::getSystem)).orElse(null);
        boolean reverse = input.bool("reverse");
        List<ConceptMap> maps = maps(input, route);
        List<ConceptMapTranslator.Match> matches = ConceptMapTranslator.translate(maps, system, code,
                input.string("targetsystem").orElse(null), reverse);
        Parameters out = new Parameters();
        out.addParameter().setName("result").setValue(new BooleanType(matches.stream()
                .anyMatch(m -> !m.equivalence().equals("unmatched") && !m.equivalence().equals("disjoint"))));
        if (matches.isEmpty()) {
            out.addParameter().setName("message").setValue(new StringType("no mapping found for "
                    + (system == null ? "" : system + "|") + code));
        }
        for (ConceptMapTranslator.Match m : matches) {
            var part = out.addParameter().setName("match");
            part.addPart().setName("equivalence").setValue(new CodeType(m.equivalence()));
            if (m.code() != null) {
                part.addPart().setName("concept").setValue(new Coding(m.system(), m.code(), m.display()));
            }
            if (m.conceptMap() != null) {
                part.addPart().setName("source").setValue(new UriType(m.conceptMap()));
            }
        }
        return out;
    }

    private List<ConceptMap> maps(OperationInput input, Route route) {
        if (route.id().isPresent()) {
            return List.of(terminology.conceptMapById(route.requireId())
                    .orElseThrow(() -> TerminologyOperation.unknown("ConceptMap/" + route.requireId())));
        }
        Optional<ConceptMap> given = input.resource("conceptMap", ConceptMap.class);
        if (given.isPresent()) {
            return List.of(given.get());
        }
        Optional<String> url = input.string("url");
        if (url.isPresent()) {
            String canonical = url.get() + input.string("conceptMapVersion").map(v -> "|" + v).orElse("");
            return List.of(terminology.conceptMap(canonical)
                    .orElseThrow(() -> TerminologyOperation.unknown("the concept map " + canonical)));
        }
        boolean reverse = input.bool("reverse");
        Optional<String> source = input.string("source");
        Optional<String> target = input.string("target");
        return terminology.conceptMaps().stream()
                .filter(m -> source.isEmpty() || source.get().equals(scope(reverse ? m.getTarget() : m.getSource())))
                .filter(m -> target.isEmpty() || target.get().equals(scope(reverse ? m.getSource() : m.getTarget())))
                .toList();
    }

    private static String scope(org.hl7.fhir.r4.model.Type t) {
        return t == null ? null : t.primitiveValue();
    }
}
