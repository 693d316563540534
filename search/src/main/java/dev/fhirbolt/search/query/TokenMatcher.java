package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.Normalizer;
import dev.fhirbolt.storage.Bytes;
import java.util.Arrays;
import java.util.List;

/** Token values: code, system|code, |code, system|; :text, :of-type (:not is handled as negation). */
final class TokenMatcher {

    private TokenMatcher() {
    }

    /** @param id whether the parameter is {@code _id}, whose values have no system and are indexed as codes only */
    static Alternative build(String modifier, String raw, boolean id) {
        if ("text".equals(modifier)) {
            String text = Normalizer.normalize(Escapes.unescape(raw));
            return new Alternative(List.of(Alternative.VRange.prefix(new byte[] {Encoded.TEXT})),
                    v -> v[0] == Encoded.TEXT && Encoded.parts(v)[0].contains(text));
        }
        if ("of-type".equals(modifier)) {
            List<String> parts = Escapes.split(raw, '|');
            if (parts.size() != 3) {
                throw new IllegalArgumentException(":of-type needs system|code|value, got " + raw);
            }
            return Alternative.exact(Encoded.strings(Encoded.OF_TYPE, Escapes.unescape(parts.get(0)),
                    Escapes.unescape(parts.get(1)), Escapes.unescape(parts.get(2))));
        }
        if (modifier != null && !modifier.equals("not")) {
            throw new UnsupportedModifier(modifier);
        }
        List<String> parts = Escapes.splitFirst(raw, '|');
        if (parts.size() == 1) {
            return Alternative.exact(Encoded.strings(Encoded.CODE, Escapes.unescape(raw)));
        }
        String system = Escapes.unescape(parts.get(0));
        String code = Escapes.unescape(parts.get(1));
        if (system.isEmpty()) {
            return Alternative.exact(Encoded.strings(id ? Encoded.CODE : Encoded.NO_SYSTEM_CODE, code));
        }
        if (code.isEmpty()) {
            return anyOfSystem(system);
        }
        return Alternative.exact(Encoded.strings(Encoded.SYSTEM_CODE, system, code));
    }

    /**
     * Any coding of a system ({@code system|}): the system+code entries of its codes (one prefix) and the system-only
     * entry of its codings without a code, the one kind that has it since format 7 (format 6 wrote it for every
     * coding, which the prefix finds as well).
     */
    static Alternative anyOfSystem(String system) {
        byte[] codes = Encoded.strings(Encoded.SYSTEM_CODE, system);
        byte[] codeless = Encoded.strings(Encoded.SYSTEM_ONLY, system);
        return new Alternative(List.of(Alternative.VRange.prefix(codes), Alternative.VRange.prefix(codeless)),
                v -> Bytes.startsWith(v, codes) && v.length > codes.length || Arrays.equals(v, codeless));
    }
}
