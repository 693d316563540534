package dev.fhirbolt.search.index;

import dev.fhirbolt.search.param.FhirPaths;
import dev.fhirbolt.search.param.SimplePath;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.model.Base;

/**
 * The elements a parameter's path selects: by {@link SimplePath} when the expression and the input allow it, else by
 * the FHIRPath engine. Both give the same elements; the fast path only saves the engine's interpretation costs.
 */
public final class Elements {

    private static volatile boolean fastPath = !Boolean.getBoolean("fhirbolt.index.engine-only");

    private Elements() {
    }

    /** As above, parsing the expression only when the fast path cannot evaluate it. */
    public static List<? extends IBase> select(IBase input, String expression,
            java.util.function.Supplier<ExpressionNode> parsed) {
        if (fastPath && input instanceof Base base) {
            SimplePath simple = SimplePath.of(expression);
            if (simple != null) {
                List<Base> selected = simple.evaluate(base);
                if (selected != null) {
                    return selected;
                }
            }
        }
        return FhirPaths.evaluate(input, parsed.get());
    }

    /** Turns the fast path off (true: every path through the engine); for comparisons and tests. */
    public static void engineOnly(boolean engineOnly) {
        fastPath = !engineOnly;
    }
}
