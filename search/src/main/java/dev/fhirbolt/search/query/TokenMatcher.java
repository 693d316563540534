package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.Normalizer;
import java.util.List;

/** Token values: code, system|code, |code, system|; :text, :of-type (:not is handled as negation). */
final class TokenMatcher {

    private TokenMatcher() {
    }

    static Alternative build(String modifier, String raw) {
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
        return Alternative.exact(encode(raw));
    }

    /** The encoded value a token search value asks for exactly. */
    static byte[] encode(String raw) {
        List<String> parts = Escapes.splitFirst(raw, '|');
        if (parts.size() == 1) {
            return Encoded.strings(Encoded.CODE, Escapes.unescape(raw));
        }
        String system = Escapes.unescape(parts.get(0));
        String code = Escapes.unescape(parts.get(1));
        if (system.isEmpty()) {
            return Encoded.strings(Encoded.NO_SYSTEM_CODE, code);
        }
        if (code.isEmpty()) {
            return Encoded.strings(Encoded.SYSTEM_ONLY, system);
        }
        return Encoded.strings(Encoded.SYSTEM_CODE, system, code);
    }
}
