package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import java.util.ArrayList;
import java.util.List;

/** Uri values: exact, :below (the value is a prefix), :above (the value starts with the indexed uri). */
final class UriMatcher {

    private UriMatcher() {
    }

    static Alternative build(String modifier, String raw) {
        String uri = Escapes.unescape(raw);
        if (modifier == null) {
            return Alternative.exact(Encoded.strings(Encoded.URL, uri));
        }
        return switch (modifier) {
            case "below" -> Alternative.startsWith(Encoded.prefix(Encoded.URL, uri));
            case "above" -> {
                List<Alternative.VRange> ranges = new ArrayList<>();
                for (int i = uri.indexOf('/'); i >= 0 && i < uri.length(); i = uri.indexOf('/', i + 1)) {
                    ranges.add(Alternative.VRange.prefix(Encoded.strings(Encoded.URL, uri.substring(0, i))));
                }
                ranges.add(Alternative.VRange.prefix(Encoded.strings(Encoded.URL, uri)));
                yield new Alternative(ranges, v -> v[0] == Encoded.URL && uri.startsWith(Encoded.parts(v)[0]));
            }
            default -> throw new UnsupportedModifier(modifier);
        };
    }
}
