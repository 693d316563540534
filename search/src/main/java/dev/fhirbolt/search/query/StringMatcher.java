package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.Normalizer;
import java.util.List;

/** String values: starts-with (default), :exact and :contains, on the normalized form (exact: as written). */
final class StringMatcher {

    private StringMatcher() {
    }

    static Alternative build(String modifier, String raw) {
        String value = Escapes.unescape(raw);
        String normalized = Normalizer.normalize(value);
        byte[] all = new byte[] {Encoded.STRING};
        if (modifier == null) {
            return Alternative.startsWith(Encoded.prefix(Encoded.STRING, normalized));
        }
        return switch (modifier) {
            case "exact" -> Alternative.exact(Encoded.strings(Encoded.STRING, normalized, value));
            case "contains" -> new Alternative(List.of(Alternative.VRange.prefix(all)),
                    v -> v[0] == Encoded.STRING && Encoded.parts(v)[0].contains(normalized));
            default -> throw new UnsupportedModifier(modifier);
        };
    }
}
