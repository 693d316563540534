package dev.fhirbolt.search.param;

import ca.uhn.fhir.fhirpath.IFhirPath;

/** A parameter ready to evaluate on one resource type: its definition and the parsed, type-narrowed path. */
public record CompiledParam(ParamDef def, String resourceType, String path, IFhirPath.IParsedExpression parsed) {

    public String code() {
        return def.code();
    }

    public ParamType type() {
        return def.type();
    }
}
