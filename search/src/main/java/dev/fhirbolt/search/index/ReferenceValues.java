package dev.fhirbolt.search.index;

import dev.fhirbolt.fhir.Fhir;
import java.util.List;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Reference parameters: local references as "Type/id" (history suffix dropped), other URLs as they are (canonicals
 * also without their |version), and logical references by identifier for :identifier.
 */
public final class ReferenceValues implements ValueEncoder {

    /** Compiled once: every reference of every indexed resource is checked (String.matches compiles each time). */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @Override
    public void encode(IBase element, List<byte[]> out) {
        switch (element) {
            case Reference ref -> {
                if (ref.hasReference()) {
                    reference(ref.getReference(), out);
                }
                if (ref.hasIdentifier() && ref.getIdentifier().hasValue()) {
                    String system = ref.getIdentifier().getSystem();
                    out.add(Encoded.strings(Encoded.REF_IDENTIFIER, system == null ? "" : system,
                            ref.getIdentifier().getValue()));
                    out.add(Encoded.strings(Encoded.REF_IDENTIFIER_VALUE, ref.getIdentifier().getValue()));
                }
            }
            case IPrimitiveType<?> uri when uri.getValueAsString() != null -> {
                String value = uri.getValueAsString();
                reference(value, out);
                int bar = value.indexOf('|');
                if (bar > 0) {
                    out.add(Encoded.strings(Encoded.URL, value.substring(0, bar)));
                }
            }
            default -> {
            }
        }
    }

    static void reference(String reference, List<byte[]> out) {
        if (reference.startsWith("#")) {
            return;
        }
        String local = localReference(reference);
        if (local != null) {
            out.add(Encoded.strings(Encoded.LOCAL_REF, local));
        } else {
            out.add(Encoded.strings(Encoded.URL, reference));
        }
    }

    /** "Type/id" for a relative reference (with or without /_history/n), else null. */
    public static String localReference(String reference) {
        String[] parts = reference.split("/");
        if ((parts.length == 2 || parts.length == 4 && parts[2].equals("_history")) && Fhir.isResourceType(parts[0])
                && ID.matcher(parts[1]).matches()) {
            return parts[0] + "/" + parts[1];
        }
        return null;
    }
}
