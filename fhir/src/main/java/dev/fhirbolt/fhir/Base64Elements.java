package dev.fhirbolt.fhir;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.HashSet;
import java.util.Set;

/**
 * base64Binary elements: HAPI decodes them on parsing and re-encodes the bytes on encoding, so their JSON is only
 * kept as sent when it is already in the canonical form that re-encoding gives.
 */
final class Base64Elements {

    /** Every JSON name an element of type base64Binary has anywhere in R4 (e.g. data, hash, valueBase64Binary). */
    private static final Set<String> NAMES = names(Fhir.context());

    private Base64Elements() {
    }

    static boolean isBase64Name(String name) {
        return NAMES.contains(name);
    }

    /** Standard alphabet, padded to a multiple of 4, and the bits padding leaves over zero: what re-encoding gives. */
    static boolean isCanonical(String s) {
        int n = s.length();
        if (n == 0 || n % 4 != 0) {
            return false;
        }
        int padding = s.charAt(n - 1) != '=' ? 0 : s.charAt(n - 2) != '=' ? 1 : 2;
        for (int i = 0; i < n - padding; i++) {
            if (value(s.charAt(i)) < 0) {
                return false;
            }
        }
        int last = value(s.charAt(n - 1 - padding));
        return padding == 0 || (last & (padding == 1 ? 0x03 : 0x0F)) == 0;
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    static Set<String> names(FhirContext context) {
        Set<String> names = new HashSet<>();
        Set<BaseRuntimeElementDefinition<?>> seen = new HashSet<>();
        // extensions are not children in HAPI's definitions; what they can hold is the Extension type's
        collect(context.getElementDefinition("Extension"), names, seen);
        for (String type : context.getResourceTypes()) {
            collect(context.getResourceDefinition(type), names, seen);
        }
        return Set.copyOf(names);
    }

    private static void collect(BaseRuntimeElementDefinition<?> definition, Set<String> names,
            Set<BaseRuntimeElementDefinition<?>> seen) {
        if (!(definition instanceof BaseRuntimeElementCompositeDefinition<?> composite) || !seen.add(definition)) {
            return;
        }
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
            if (child.getElementName().endsWith("xtension")) {
                continue; // extension and modifierExtension: the Extension type, collected on its own
            }
            for (String name : child.getValidChildNames()) {
                BaseRuntimeElementDefinition<?> type = child.getChildByName(name);
                if (type == null) {
                    continue;
                }
                if ("base64Binary".equals(type.getName())) {
                    names.add(name);
                }
                collect(type, names, seen);
            }
        }
    }
}
