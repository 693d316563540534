package dev.fhirbolt.search.index;

import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/** Number parameters: the value as a point (a range of one), in the order-preserving double encoding. */
public final class NumberValues implements ValueEncoder {

    private static final byte[] NO_PREFIX = new byte[0];

    @Override
    public void encode(IBase element, List<byte[]> out) {
        if (element instanceof IPrimitiveType<?> p && p.getValue() instanceof Number n) {
            long v = Encoded.sortableDouble(new BigDecimal(n.toString()).doubleValue());
            for (byte[] entry : Encoded.range(NO_PREFIX, v, v)) {
                out.add(entry);
            }
        }
    }
}
