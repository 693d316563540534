package dev.fhirbolt.search.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ASCII shortcut of {@link Normalizer} gives what the general (regular expression) form gives. */
class NormalizerTest {

    @Test
    void asciiShortcutMatchesTheGeneralForm() {
        String alphabet = "aZ \t\n\u000B\f\r\0\u0001\u001f~-.|Mx  ";
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                b.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x80)
                        : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = b.toString();
            assertEquals(Normalizer.general(s), Normalizer.normalize(s), () -> "'" + s + "'");
        }
        for (String s : new String[] {"", " ", "Müller", "  Ana  Maria ", "ÅNGSTRÖM\tx", "a\u00a0b", "İstanbul"}) {
            assertEquals(Normalizer.general(s), Normalizer.normalize(s), s);
        }
    }
}
