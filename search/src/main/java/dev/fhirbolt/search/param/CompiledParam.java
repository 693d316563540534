package dev.fhirbolt.search.param;

/**
 * A parameter ready to evaluate on one resource type: its definition and its type-narrowed path, parsed by the
 * FHIRPath engine only when the fast path cannot evaluate it. {@code expression} is null when there is no path.
 */
public record CompiledParam(ParamDef def, String resourceType, String path, LazyExpression expression) {

    public String code() {
        return def.code();
    }

    public ParamType type() {
        return def.type();
    }

    /** False for parameters with nothing to evaluate (e.g. composites without a base path). */
    public boolean hasPath() {
        return expression != null;
    }
}
