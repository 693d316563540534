package dev.fhirbolt.fhir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * base64Binary elements: HAPI decodes them on parsing and re-encodes the bytes on encoding, so their JSON is only
 * kept as sent when it is already in the canonical form that re-encoding gives.
 */
final class Base64Elements {

    static final String RESOURCE = "base64-elements.txt";
    /** Every JSON name an element of type base64Binary has anywhere in R4 (e.g. data, hash, valueBase64Binary). */
    private static final Set<String> NAMES = load();

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

    /**
     * The names listed in {@link #RESOURCE}: read from a file rather than found by walking every type of HAPI's model,
     * which takes a second or more at start-up (Base64ElementsTableTest keeps the file equal to that walk).
     */
    static Set<String> load() {
        try (var in = Base64Elements.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return Set.copyOf(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
