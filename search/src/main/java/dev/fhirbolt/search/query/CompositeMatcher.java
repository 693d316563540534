package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.CompositeValues;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.param.ParamDef;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Composite values: component values joined by '$', each matched by its component's type on the same element (one
 * value per element, or per combination as format 6 wrote them).
 */
final class CompositeMatcher {

    private CompositeMatcher() {
    }

    static Alternative build(ParamDef def, String raw, Function<String, java.util.Optional<ParamDef>> byUrl) {
        List<String> values = Escapes.split(raw, '$');
        if (values.size() != def.components().size()) {
            throw new IllegalArgumentException(def.code() + " needs " + def.components().size()
                    + " values separated by $");
        }
        List<Predicate<byte[]>> tests = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            ParamDef component = byUrl.apply(def.components().get(i).definition()).orElseThrow(
                    () -> new IllegalArgumentException("unknown component of " + def.code()));
            tests.add(Matchers.forType(component.type(), null, null, values.get(i)).test());
        }
        return new Alternative(List.of(Alternative.VRange.prefix(new byte[] {Encoded.COMPOSITE}),
                Alternative.VRange.prefix(new byte[] {Encoded.COMPOSITE_PER_ELEMENT})), v -> {
            if (v[0] != Encoded.COMPOSITE && v[0] != Encoded.COMPOSITE_PER_ELEMENT) {
                return false;
            }
            List<List<byte[]>> components = CompositeValues.components(v);
            if (components.size() != tests.size()) {
                return false;
            }
            for (int i = 0; i < components.size(); i++) {
                if (!components.get(i).stream().anyMatch(tests.get(i))) {
                    return false;
                }
            }
            return true;
        });
    }
}
