package dev.fhirbolt.search.index;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;

/** Uri parameters: the value as written. */
public final class UriValues implements ValueEncoder {

    @Override
    public void encode(IBase element, List<byte[]> out) {
        if (element instanceof IPrimitiveType<?> p && p.getValueAsString() != null && !p.getValueAsString().isEmpty()) {
            out.add(Encoded.strings(Encoded.URL, p.getValueAsString()));
        }
    }
}
