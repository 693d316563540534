package dev.fhirbolt.search.index;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Token parameters. A code is indexed as itself (any system) and as system+code (or as "no system"), a system without
 * a code as the system alone ({@code system|} finds both: the codes of the system by the prefix of their system+code
 * entries, since format 7), and the display/text normalized for :text; identifiers also by their type for :of-type.
 */
public final class TokenValues implements ValueEncoder {

    /** The parameter of every resource's id, a token without a system. */
    public static final String ID = "_id";

    @Override
    public void encode(IBase element, List<byte[]> out) {
        switch (element) {
            case Coding coding -> coding(coding, out);
            case CodeableConcept concept -> {
                concept.getCoding().forEach(c -> coding(c, out));
                text(concept.getText(), out);
            }
            case Identifier identifier -> {
                code(identifier.getSystem(), identifier.getValue(), out);
                if (identifier.hasType()) {
                    for (Coding type : identifier.getType().getCoding()) {
                        if (type.hasCode() && identifier.hasValue()) {
                            out.add(Encoded.strings(Encoded.OF_TYPE, nz(type.getSystem()), type.getCode(),
                                    identifier.getValue()));
                        }
                    }
                    text(identifier.getType().getText(), out);
                }
            }
            case ContactPoint contact -> code(contact.getSystem() != null ? contact.getSystem().toCode() : null,
                    contact.getValue(), out);
            case Enumeration<?> e -> code(e.getValueAsString() == null ? null : e.getSystem(), e.getValueAsString(), out);
            case IPrimitiveType<?> primitive -> code(null, primitive.getValueAsString(), out);
            default -> {
            }
        }
    }

    /**
     * The values of {@link #ID} that are indexed: its code alone. An id never has a system, so its "no system" entry
     * ({@code |id}) would name the same resources as its code; {@code _id=|x} reads the code ({@code TokenMatcher}).
     */
    public static List<byte[]> idValues(List<byte[]> values) {
        List<byte[]> codes = new java.util.ArrayList<>(1);
        for (byte[] v : values) {
            if (v[0] == Encoded.CODE) {
                codes.add(v);
            }
        }
        return codes;
    }

    private static void coding(Coding coding, List<byte[]> out) {
        code(coding.getSystem(), coding.getCode(), out);
        text(coding.getDisplay(), out);
    }

    static void code(String system, String code, List<byte[]> out) {
        if (code == null || code.isEmpty()) {
            if (system != null && !system.isEmpty()) {
                out.add(Encoded.strings(Encoded.SYSTEM_ONLY, system));
            }
            return;
        }
        out.add(Encoded.strings(Encoded.CODE, code));
        if (system == null || system.isEmpty()) {
            out.add(Encoded.strings(Encoded.NO_SYSTEM_CODE, code));
        } else {
            out.add(Encoded.strings(Encoded.SYSTEM_CODE, system, code));
        }
    }

    private static void text(String text, List<byte[]> out) {
        if (text != null && !text.isBlank()) {
            String cut = text.length() > StringValues.MAX_LENGTH ? text.substring(0, StringValues.MAX_LENGTH) : text;
            out.add(Encoded.strings(Encoded.TEXT, Normalizer.normalize(cut)));
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
