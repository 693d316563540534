package dev.fhirbolt.rest.terminology;

import dev.fhirbolt.rest.Route;
import dev.fhirbolt.terminology.Expansion;
import dev.fhirbolt.terminology.ExpansionRequest;
import dev.fhirbolt.terminology.Member;
import dev.fhirbolt.terminology.TerminologyService;
import dev.fhirbolt.terminology.ValueSetExpander;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * {@code ValueSet/$expand} and {@code ValueSet/[id]/$expand}: the value set by id, {@code url} (and
 * {@code valueSetVersion}) or a {@code valueSet} in the body; {@code filter}, {@code offset}, {@code count},
 * {@code activeOnly}, {@code includeDesignations}, {@code displayLanguage} (each code's display taken from its
 * designation in that language when it has one), {@code excludeNested} (accepted: expansions are always flat).
 * Answers the ValueSet with its expansion (and without its compose).
 */
public final class ExpandOperation extends TerminologyOperation {

    private final TerminologyService terminology;
    private final ValueSetExpander expander;

    public ExpandOperation(TerminologyService terminology) {
        this.terminology = terminology;
        this.expander = new ValueSetExpander(terminology);
    }

    @Override
    public String name() {
        return "expand";
    }

    @Override
    public Set<String> types() {
        return Set.of("ValueSet");
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/ValueSet-expand";
    }

    @Override
    IBaseResource answer(OperationInput input, Route route) {
        ValueSet vs = ValueSets.named(terminology, input, route, "url", "valueSetVersion", "valueSet", "expand");
        Optional<String> filter = input.string("filter");
        int offset = input.integer("offset").orElse(0);
        Optional<Integer> count = input.integer("count");
        boolean designations = input.bool("includeDesignations");
        boolean activeOnly = input.bool("activeOnly");
        Optional<String> language = input.string("displayLanguage").map(String::trim).filter(l -> !l.isEmpty());
        boolean excludeNested = input.bool("excludeNested");
        Expansion expansion = expander.expand(vs, new ExpansionRequest(filter, offset, count, activeOnly,
                designations));
        ValueSet out = vs.copy();
        out.setCompose(null);
        ValueSet.ValueSetExpansionComponent e = out.getExpansion();
        e.getContains().clear();
        e.getParameter().clear();
        e.setIdentifier("urn:uuid:" + UUID.randomUUID());
        e.setTimestamp(new Date());
        e.setTotal(expansion.total());
        e.setOffset(expansion.offset());
        filter.ifPresent(f -> e.addParameter().setName("filter").setValue(new StringType(f)));
        count.ifPresent(c -> e.addParameter().setName("count").setValue(new IntegerType(c)));
        if (offset > 0) {
            e.addParameter().setName("offset").setValue(new IntegerType(offset));
        }
        if (activeOnly) {
            e.addParameter().setName("activeOnly").setValue(new BooleanType(true));
        }
        if (excludeNested) {
            e.addParameter().setName("excludeNested").setValue(new BooleanType(true));
        }
        language.ifPresent(l -> e.addParameter().setName("displayLanguage").setValue(new CodeType(l)));
        for (Member m : expansion.members()) {
            var c = e.addContains().setSystem(m.system()).setCode(m.code())
                    .setDisplay(language.map(m::display).orElse(m.display()));
            if (m.version() != null) {
                c.setVersion(m.version());
            }
            if (m.inactive()) {
                c.setInactive(true);
            }
            if (m.isAbstract()) {
                c.setAbstract(true);
            }
            if (designations) {
                for (var d : m.designations()) {
                    c.addDesignation().setLanguage(d.getLanguage()).setUse(d.getUse()).setValue(d.getValue());
                }
            }
        }
        return out;
    }
}
