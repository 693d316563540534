package dev.fhirbolt.search.index;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Quantity;

/**
 * Quantity parameters: the value under each way a search can name its unit (none, code or unit alone, system and
 * code, and the canonical UCUM unit when the unit converts).
 */
public final class QuantityValues implements ValueEncoder {

    private static final String CURRENCY = "urn:iso:std:iso:4217";

    @Override
    public void encode(IBase element, List<byte[]> out) {
        switch (element) {
            case Quantity q when q.hasValue() -> add(q.getValue(), q.getSystem(), q.getCode(), q.getUnit(), out);
            case Money m when m.hasValue() -> add(m.getValue(), CURRENCY, m.getCurrency(), null, out);
            default -> {
            }
        }
    }

    static void add(BigDecimal value, String system, String code, String unit, List<byte[]> out) {
        double d = value.doubleValue();
        range(new byte[] {Encoded.QUANTITY_ANY}, d, out);
        if (code != null && !code.isEmpty()) {
            range(Encoded.strings(Encoded.QUANTITY_CODE, code), d, out);
            if (system != null && !system.isEmpty()) {
                range(Encoded.strings(Encoded.QUANTITY_SYSTEM_CODE, system, code), d, out);
            }
        }
        if (unit != null && !unit.isEmpty() && !unit.equals(code)) {
            range(Encoded.strings(Encoded.QUANTITY_CODE, unit), d, out);
        }
        Ucum.canonical(system, code, d).ifPresent(c ->
                range(Encoded.strings(Encoded.QUANTITY_CANONICAL, c.unit()), c.value(), out));
    }

    private static void range(byte[] prefix, double d, List<byte[]> out) {
        long v = Encoded.sortableDouble(d);
        for (byte[] entry : Encoded.range(prefix, v, v)) {
            out.add(entry);
        }
    }
}
