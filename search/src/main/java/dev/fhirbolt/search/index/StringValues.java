package dev.fhirbolt.search.index;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.StringType;

/** String parameters: each name part or address part is its own value, kept normalized and exact. */
public final class StringValues implements ValueEncoder {

    static final int MAX_LENGTH = 200;

    @Override
    public void encode(IBase element, List<byte[]> out) {
        switch (element) {
            case HumanName name -> {
                add(name.getFamily(), out);
                name.getGiven().forEach(g -> add(g.getValue(), out));
                name.getPrefix().forEach(p -> add(p.getValue(), out));
                name.getSuffix().forEach(s -> add(s.getValue(), out));
                add(name.getText(), out);
            }
            case Address address -> {
                address.getLine().forEach(l -> add(l.getValue(), out));
                add(address.getCity(), out);
                add(address.getDistrict(), out);
                add(address.getState(), out);
                add(address.getPostalCode(), out);
                add(address.getCountry(), out);
                add(address.getText(), out);
            }
            case IPrimitiveType<?> primitive -> add(primitive.getValueAsString(), out);
            default -> {
            }
        }
    }

    public static byte[] value(String exact) {
        String cut = exact.length() > MAX_LENGTH ? exact.substring(0, MAX_LENGTH) : exact;
        return Encoded.strings(Encoded.STRING, Normalizer.normalize(cut), cut.replace('\0', ' '));
    }

    private static void add(String s, List<byte[]> out) {
        if (s != null && !s.isBlank()) {
            out.add(value(s));
        }
    }

    static void addString(StringType s, List<byte[]> out) {
        add(s.getValue(), out);
    }
}
