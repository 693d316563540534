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
 * Composite parameters: for each element the path selects, every combination of its components' values, each
 * component length-prefixed, so a match needs all components to match on the same element.
 */
public final class CompositeValues {

    private static final int MAX_COMBINATIONS = 64;
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
        combine(perComponent, 0, new ArrayList<>(), out);
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

    private static void combine(List<List<byte[]>> parts, int at, List<byte[]> chosen, List<byte[]> out) {
        if (out.size() >= MAX_COMBINATIONS) {
            return;
        }
        if (at == parts.size()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(Encoded.COMPOSITE);
            for (byte[] c : chosen) {
                b.write(c.length >>> 8);
                b.write(c.length & 0xFF);
                b.writeBytes(c);
            }
            out.add(b.toByteArray());
            return;
        }
        for (byte[] v : parts.get(at)) {
            chosen.add(v);
            combine(parts, at + 1, chosen, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    /** The component values of an encoded composite. */
    public static List<byte[]> split(byte[] v) {
        List<byte[]> out = new ArrayList<>();
        int i = 1;
        while (i + 2 <= v.length) {
            int len = ((v[i] & 0xFF) << 8) | (v[i + 1] & 0xFF);
            out.add(java.util.Arrays.copyOfRange(v, i + 2, i + 2 + len));
            i += 2 + len;
        }
        return out;
    }
}
