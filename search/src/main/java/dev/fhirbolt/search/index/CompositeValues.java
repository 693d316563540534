package dev.fhirbolt.search.index;

import dev.fhirbolt.search.param.LazyExpression;
import dev.fhirbolt.search.param.ParamDef;
import dev.fhirbolt.search.param.PathSplitter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBase;

/**
 * Composite parameters: for each element the path selects, one value holding each component's values on it, so a match
 * needs all components to match on the same element.
 */
public final class CompositeValues {

    private static final Map<String, LazyExpression> PARSED = new ConcurrentHashMap<>();
    private static final Map<List<String>, String> RELATIVE = new ConcurrentHashMap<>();

    private CompositeValues() {
    }

    public static void encode(IBase element, ParamDef def, Function<String, Optional<ParamDef>> byUrl,
            List<byte[]> out) {
        List<List<byte[]>> perComponent = new ArrayList<>();
        for (ParamDef.Component component : def.components()) {
            Optional<ParamDef> componentDef = byUrl.apply(component.definition());
            if (componentDef.isEmpty()) {
                return;
            }
            List<byte[]> values = new ArrayList<>();
            String expression = componentExpression(def, component, componentDef.get());
            LazyExpression path = PARSED.computeIfAbsent(expression, LazyExpression::new);
            for (IBase value : Elements.select(element, expression, path)) {
                Encoders.of(componentDef.get().type()).encode(value, values);
            }
            values.removeIf(v -> !usable(v));
            if (values.isEmpty()) {
                return;
            }
            perComponent.add(values);
        }
        out.add(perElement(perComponent));
    }

    /** The expression of a composite's component relative to the elements the composite's path selects. */
    static String componentExpression(ParamDef def, ParamDef.Component component, ParamDef componentDef) {
        return component.expression() != null ? component.expression()
                : RELATIVE.computeIfAbsent(List.of(def.expression(), componentDef.expression()),
                        k -> relative(k.get(0), k.get(1)));
    }

    /**
     * HAPI's built-in composites name their components without an expression: derive it from the component
     * parameter's path by removing the composite's own path ("Observation.component.code" under
     * "Observation.component" is "code").
     */
    static String relative(String compositePath, String componentPath) {
        List<String> bases = new ArrayList<>(PathSplitter.branches(compositePath));
        bases.sort((a, b) -> b.length() - a.length());
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String branch : PathSplitter.branches(componentPath)) {
            String rel = branch;
            for (String base : bases) {
                if (branch.startsWith(base + ".")) {
                    rel = branch.substring(base.length() + 1);
                    break;
                }
                if (branch.startsWith("(" + base + ".")) {
                    rel = "(" + branch.substring(base.length() + 2);
                    break;
                }
            }
            out.add(rel);
        }
        return String.join(" | ", out);
    }

    /** Components keep only the encodings a composite search value can ask for, and a range once (by its low end). */
    private static boolean usable(byte[] v) {
        byte kind = v[0];
        if (kind == Encoded.TEXT || kind == Encoded.SYSTEM_ONLY || kind == Encoded.OF_TYPE) {
            return false;
        }
        int at = Encoded.rangeKindAt(v);
        return at < 0 || v[at] != Encoded.RANGE_BY_HIGH;
    }

    /**
     * One value per element: {@code x}, then for each component the count of its values (2 bytes) and each value
     * (2-byte length, the value). A search matches when each component has a value its test accepts, as it did with
     * one {@code X} value per combination up to format 6 (a product of the components' values: an Observation's
     * code-value-quantity had 5 or more, one per token form times quantity unit).
     */
    private static byte[] perElement(List<List<byte[]>> perComponent) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(Encoded.COMPOSITE_PER_ELEMENT);
        for (List<byte[]> values : perComponent) {
            putShort(b, values.size());
            for (byte[] v : values) {
                putShort(b, v.length);
                b.writeBytes(v);
            }
        }
        return b.toByteArray();
    }

    private static void putShort(ByteArrayOutputStream b, int n) {
        b.write(n >>> 8);
        b.write(n & 0xFF);
    }

    private static int getShort(byte[] v, int at) {
        return ((v[at] & 0xFF) << 8) | (v[at + 1] & 0xFF);
    }

    /**
     * The values of each component of an encoded composite: of a value per element (format 7), or of one
     * combination (format 6, {@code X (length:2 componentV)*}: one value each).
     */
    public static List<List<byte[]>> components(byte[] v) {
        List<List<byte[]>> out = new ArrayList<>();
        if (v[0] == Encoded.COMPOSITE) {
            for (byte[] c : split(v)) {
                out.add(List.of(c));
            }
            return out;
        }
        int i = 1;
        while (i + 2 <= v.length) {
            int count = getShort(v, i);
            i += 2;
            List<byte[]> values = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                int len = getShort(v, i);
                values.add(java.util.Arrays.copyOfRange(v, i + 2, i + 2 + len));
                i += 2 + len;
            }
            out.add(values);
        }
        return out;
    }

    /** The component values of one combination (format 6). */
    private static List<byte[]> split(byte[] v) {
        List<byte[]> out = new ArrayList<>();
        int i = 1;
        while (i + 2 <= v.length) {
            int len = getShort(v, i);
            out.add(java.util.Arrays.copyOfRange(v, i + 2, i + 2 + len));
            i += 2 + len;
        }
        return out;
    }
}
