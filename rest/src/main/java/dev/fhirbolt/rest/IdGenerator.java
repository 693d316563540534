package dev.fhirbolt.rest;

import java.security.SecureRandom;

/**
 * Server-assigned ids: 16 characters of base32hex, time-ordered in their first half so new resources land next to
 * each other in the ordered key space (cheaper writes), random in the second so they cannot be guessed or collide.
 */
public final class IdGenerator {

    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuv".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private IdGenerator() {
    }

    public static String next() {
        long time = System.currentTimeMillis();
        long random = RANDOM.nextLong();
        char[] id = new char[16];
        for (int i = 8; i >= 0; i--) {
            id[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        for (int i = 9; i < 16; i++) {
            id[i] = ALPHABET[(int) (random & 31)];
            random >>>= 5;
        }
        return new String(id);
    }
}
