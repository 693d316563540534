package dev.fhirbolt.fhir;

import java.util.OptionalInt;

/** Strict UTF-8 (RFC 3629): no overlong forms, no encoded surrogates, nothing above U+10FFFF, no cut sequence. */
final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first byte that does not belong to a well-formed UTF-8 character, if any. */
    static OptionalInt firstInvalid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            b &= 0xff;
            int length;
            int min;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                max = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                max = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            } else {
                return OptionalInt.of(i);
            }
            if (i + length > n) {
                return OptionalInt.of(i);
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min || second > max) {
                return OptionalInt.of(i);
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return OptionalInt.of(i);
                }
            }
            i += length;
        }
        return OptionalInt.empty();
    }
}
