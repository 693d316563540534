package dev.fhirbolt.search.param;

import java.util.function.Supplier;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;

/**
 * A FHIRPath expression parsed on first use: most paths are evaluated by {@link SimplePath} and never need the
 * engine's parse tree.
 */
public final class LazyExpression implements Supplier<ExpressionNode> {

    private final String path;
    private volatile ExpressionNode parsed;

    public LazyExpression(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    @Override
    public ExpressionNode get() {
        ExpressionNode result = parsed;
        if (result == null) {
            result = FhirPaths.parse(path);
            parsed = result;
        }
        return result;
    }
}
