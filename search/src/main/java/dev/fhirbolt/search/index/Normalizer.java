package dev.fhirbolt.search.index;

import java.text.Normalizer.Form;
import java.util.Locale;
import java.util.regex.Pattern;

/** String search is case- and accent-insensitive: both sides are compared in this form. */
public final class Normalizer {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Normalizer() {
    }

    public static String normalize(String s) {
        String decomposed = java.text.Normalizer.normalize(s, Form.NFD);
        String stripped = MARKS.matcher(decomposed).replaceAll("");
        return SPACES.matcher(stripped.toLowerCase(Locale.ROOT)).replaceAll(" ").trim().replace('\0', ' ');
    }
}
