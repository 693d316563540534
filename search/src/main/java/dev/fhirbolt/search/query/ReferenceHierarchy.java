package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.param.CompiledParam;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * :below and :above on a reference parameter that points to its own type (Location.partof, Organization.partof,
 * ...): matches references to the named resource or to any resource below (above) it through that same parameter,
 * found by walking the reference index.
 */
final class ReferenceHierarchy {

    private static final int MAX_RESOURCES = 10_000;

    private ReferenceHierarchy() {
    }

    static Clause build(QueryContext q, CompiledParam param, String type, String modifier, String value) {
        if (!param.def().targets().contains(type)) {
            throw new IllegalArgumentException(":" + modifier + " on " + param.code()
                    + " needs a reference parameter that points to " + type + " itself");
        }
        List<byte[]> refs = new ArrayList<>();
        for (String part : Escapes.split(value, ',')) {
            String raw = Escapes.unescape(part);
            String id = raw.startsWith(type + "/") ? raw.substring(type.length() + 1) : raw;
            if (id.contains("/")) {
                throw new IllegalArgumentException(":" + modifier + " needs " + type + "/id or an id, got " + raw);
            }
            for (String member : modifier.equals("below") ? below(q, param.code(), type, id)
                    : above(q, param.code(), type, id)) {
                refs.add(Encoded.strings(Encoded.LOCAL_REF, type + "/" + member));
            }
        }
        return new ValueClause(param.code(), List.of(Alternative.anyOf(refs)), false);
    }

    /** The resource and every resource that refers to it through the parameter, transitively. */
    private static Set<String> below(QueryContext q, String code, String type, String id) {
        Set<String> out = new LinkedHashSet<>(List.of(id));
        Deque<String> todo = new ArrayDeque<>(out);
        while (!todo.isEmpty() && out.size() < MAX_RESOURCES) {
            Set<String> children = new TreeSet<>();
            q.reader().scan(code, type, Alternative.exact(Encoded.strings(Encoded.LOCAL_REF, type + "/" + todo.poll())),
                    children, MAX_RESOURCES);
            for (String child : children) {
                if (out.add(child)) {
                    todo.add(child);
                }
            }
        }
        return out;
    }

    /** The resource and every resource it refers to through the parameter, transitively. */
    private static Set<String> above(QueryContext q, String code, String type, String id) {
        Set<String> out = new LinkedHashSet<>(List.of(id));
        Deque<String> todo = new ArrayDeque<>(out);
        while (!todo.isEmpty() && out.size() < MAX_RESOURCES) {
            for (byte[] v : q.reader().values(type, todo.poll(), code)) {
                if (v[0] == Encoded.LOCAL_REF) {
                    String ref = Encoded.parts(v)[0];
                    if (ref.startsWith(type + "/") && out.add(ref.substring(type.length() + 1))) {
                        todo.add(ref.substring(type.length() + 1));
                    }
                }
            }
        }
        return out;
    }
}
