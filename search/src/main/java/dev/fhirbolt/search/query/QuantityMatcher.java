package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.index.Ucum;
import java.math.BigDecimal;
import java.util.List;

/** Quantity values: [prefix]number[|system|code]; UCUM units that convert are compared in canonical units. */
final class QuantityMatcher {

    private QuantityMatcher() {
    }

    static Alternative build(String modifier, String raw) {
        if (modifier != null) {
            throw new UnsupportedModifier(modifier);
        }
        List<String> parts = Escapes.split(raw, '|');
        Prefix.Prefixed p = Prefix.parse(Escapes.unescape(parts.get(0)));
        BigDecimal number = NumberMatcher.parse(p.value());
        String system = parts.size() > 1 ? Escapes.unescape(parts.get(1)) : "";
        String code = parts.size() > 2 ? Escapes.unescape(parts.get(2)) : "";
        if (code.isEmpty()) {
            return NumberMatcher.range(new byte[] {Encoded.QUANTITY_ANY}, p.prefix(), number, 1.0);
        }
        var canonical = Ucum.canonical(system, code, 1.0);
        if (canonical.isPresent()) {
            return NumberMatcher.range(Encoded.strings(Encoded.QUANTITY_CANONICAL, canonical.get().unit()),
                    p.prefix(), number, canonical.get().value());
        }
        byte[] prefix = system.isEmpty() ? Encoded.strings(Encoded.QUANTITY_CODE, code)
                : Encoded.strings(Encoded.QUANTITY_SYSTEM_CODE, system, code);
        return NumberMatcher.range(prefix, p.prefix(), number, 1.0);
    }
}
