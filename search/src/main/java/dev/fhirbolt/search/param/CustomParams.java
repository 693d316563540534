package dev.fhirbolt.search.param;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.SearchParameter;

/** Turns a SearchParameter resource into a definition. */
public final class CustomParams {

    private CustomParams() {
    }

    public static ParamDef convert(SearchParameter sp) {
        if (!sp.hasCode() || !sp.hasType() || !sp.hasBase()) {
            throw new IllegalArgumentException("a SearchParameter needs code, type and base");
        }
        Set<String> base = new LinkedHashSet<>();
        for (CodeType b : sp.getBase()) {
            base.add(b.getValue());
        }
        Set<String> targets = new LinkedHashSet<>();
        for (CodeType t : sp.getTarget()) {
            targets.add(t.getValue());
        }
        List<ParamDef.Component> components = new ArrayList<>();
        for (SearchParameter.SearchParameterComponentComponent c : sp.getComponent()) {
            components.add(new ParamDef.Component(c.getDefinition(), c.getExpression()));
        }
        return new ParamDef(sp.getCode(), ParamType.ofCode(sp.getType().toCode()), sp.getUrl(),
                sp.getDescription() == null ? "" : sp.getDescription(), base, sp.getExpression(), targets, Set.of(),
                components);
    }
}
