package dev.fhirbolt.search.query;

import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.ReferenceValues;
import dev.fhirbolt.search.param.CompiledParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reference values: Type/id, a bare id (for the parameter's targets, or the :Type modifier), absolute URLs and
 * canonicals, and :identifier (a token on Reference.identifier).
 */
final class ReferenceMatcher {

    private ReferenceMatcher() {
    }

    static Alternative build(CompiledParam param, String modifier, String raw) {
        String value = Escapes.unescape(raw);
        if ("identifier".equals(modifier)) {
            List<String> parts = Escapes.splitFirst(raw, '|');
            return parts.size() == 1 ? Alternative.exact(Encoded.strings(Encoded.REF_IDENTIFIER_VALUE, value))
                    : Alternative.exact(Encoded.strings(Encoded.REF_IDENTIFIER, Escapes.unescape(parts.get(0)),
                            Escapes.unescape(parts.get(1))));
        }
        if (modifier != null && !Fhir.isResourceType(modifier)) {
            throw new UnsupportedModifier(modifier);
        }
        List<byte[]> exact = new ArrayList<>();
        String local = ReferenceValues.localReference(value);
        if (local != null) {
            if (modifier == null || local.startsWith(modifier + "/")) {
                exact.add(Encoded.strings(Encoded.LOCAL_REF, local));
            }
        } else if (value.contains("/") || value.contains(":")) {
            exact.add(Encoded.strings(Encoded.URL, value));
            String tail = tail(value);
            if (tail != null) {
                exact.add(Encoded.strings(Encoded.LOCAL_REF, tail));
            }
        } else {
            for (String target : targets(param, modifier)) {
                exact.add(Encoded.strings(Encoded.LOCAL_REF, target + "/" + value));
            }
        }
        return anyOf(exact);
    }

    static Alternative anyOf(List<byte[]> exact) {
        return Alternative.anyOf(exact);
    }

    static Set<String> targets(CompiledParam param, String modifier) {
        if (modifier != null) {
            return Set.of(modifier);
        }
        return param == null || param.def().targets().isEmpty() ? Fhir.resourceTypes() : param.def().targets();
    }

    /** The Type/id at the end of an absolute URL, if it has one. */
    private static String tail(String url) {
        String[] parts = url.split("/");
        for (int i = parts.length - 2; i >= 0; i--) {
            String candidate = ReferenceValues.localReference(parts[i] + "/" + parts[i + 1]);
            if (candidate != null && (i + 2 == parts.length || parts[i + 2].equals("_history"))) {
                return candidate;
            }
        }
        return null;
    }
}
