package dev.fhirbolt.contentstore.lz4;

import java.nio.ByteBuffer;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * A value as {@link Lz4ContentStore} stores it: the marker byte {@value #MARKER_HEX}, a codec byte, then for
 * {@link #LZ4} the value's length (4 bytes, big-endian) and one LZ4 block, for {@link #STORED} the value itself (too
 * small or not worth compressing). Bytes that do not start with the marker are a value stored before compression came
 * in, read as they are: every such value Fhirbolt wrote starts otherwise (a log command or group with its format byte
 * 1, an export file's header with a part count below 2<sup>24</sup>, an export part with a byte of UTF-8 text, which is
 * never 0xFF).
 */
final class StoredValue {

    static final byte MARKER = (byte) 0xFF;
    static final String MARKER_HEX = "0xFF";
    static final byte STORED = 0;
    static final byte LZ4 = 1;
    /** Values shorter than this are stored as they are: LZ4 gains nothing on a few dozen bytes. */
    static final int MIN_COMPRESSED = 64;
    /** LZ4 never expands a block's bytes by more than this factor, so a larger declared length is a corrupt value. */
    private static final int MAX_RATIO = 255;

    /** The JNI compressor where the platform has it (the fastest), else the Java one. */
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    /** Bounds-checked, pure Java: a damaged value fails with an exception, it never reads or writes out of bounds. */
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();

    private StoredValue() {
    }

    static byte[] encode(byte[] value) {
        if (value.length >= MIN_COMPRESSED) {
            int bound = COMPRESSOR.maxCompressedLength(value.length);
            byte[] out = new byte[6 + bound];
            int compressed = COMPRESSOR.compress(value, 0, value.length, out, 6, bound);
            if (compressed + 4 < value.length) {
                out[0] = MARKER;
                out[1] = LZ4;
                ByteBuffer.wrap(out, 2, 4).putInt(value.length);
                return java.util.Arrays.copyOf(out, 6 + compressed);
            }
        }
        byte[] out = new byte[2 + value.length];
        out[0] = MARKER;
        out[1] = STORED;
        System.arraycopy(value, 0, out, 2, value.length);
        return out;
    }

    /**
     * The value {@code stored} holds.
     *
     * @throws IllegalArgumentException when it starts with the marker but is damaged (an unknown codec, a bad length,
     *         a broken LZ4 block)
     */
    static byte[] decode(byte[] stored) {
        if (stored.length == 0 || stored[0] != MARKER) {
            return stored;
        }
        if (stored.length < 2) {
            throw new IllegalArgumentException("a stored value of 1 byte has no codec");
        }
        return switch (stored[1]) {
            case STORED -> java.util.Arrays.copyOfRange(stored, 2, stored.length);
            case LZ4 -> inflate(stored);
            default -> throw new IllegalArgumentException("a stored value has codec " + stored[1]
                    + ", unknown to this version of Fhirbolt (it reads 0 and 1)");
        };
    }

    private static byte[] inflate(byte[] stored) {
        if (stored.length < 6) {
            throw new IllegalArgumentException("an LZ4 value of " + stored.length + " bytes has no length");
        }
        int length = ByteBuffer.wrap(stored, 2, 4).getInt();
        int block = stored.length - 6;
        if (length < 0 || (long) length > (long) block * MAX_RATIO) {
            throw new IllegalArgumentException("an LZ4 value of " + block + " bytes declares a length of " + length);
        }
        byte[] value = new byte[length];
        int got;
        try {
            got = DECOMPRESSOR.decompress(stored, 6, block, value, 0, length);
        } catch (LZ4Exception e) {
            throw new IllegalArgumentException("a damaged LZ4 value: " + e.getMessage(), e);
        }
        if (got != length) {
            throw new IllegalArgumentException("an LZ4 value declares " + length + " bytes and holds " + got);
        }
        return value;
    }
}
