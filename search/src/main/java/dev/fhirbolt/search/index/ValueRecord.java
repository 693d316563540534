package dev.fhirbolt.search.index;

import dev.fhirbolt.storage.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The value of a resource's search-resource record: every (code, V) pair of the resource packed into one value, so
 * that a write puts one entry where it put one per value, and a reader gets them all with one point lookup.
 *
 * <p>Layout: groups one after another, one per code, {@code codeLength code count (valueLength V)*}, every length
 * and count an unsigned LEB128 varint (one byte below 128). The values of a group are in unsigned byte order, the
 * order the per-value entries of format 5 had, so readers see them as before; groups are in the order written.
 */
public final class ValueRecord {

    private ValueRecord() {
    }

    /** Builds a record group by group. */
    static final class Writer {

        private byte[] buf;
        private int size;

        Writer() {
            buf = new byte[1024];
        }

        /** Goes on after the groups of an existing record, with room for {@code room} more bytes. */
        Writer(byte[] record, int room) {
            buf = Arrays.copyOf(record, record.length + room);
            size = record.length;
        }

        /** Adds the group of one code; a code without values adds nothing. The values must be distinct. */
        Writer add(byte[] code, List<byte[]> values) {
            if (values.isEmpty()) {
                return this;
            }
            List<byte[]> sorted = values;
            if (values.size() > 1) {
                sorted = new ArrayList<>(values);
                sorted.sort(Arrays::compareUnsigned);
            }
            putVarint(code.length);
            put(code);
            putVarint(sorted.size());
            for (byte[] v : sorted) {
                putVarint(v.length);
                put(v);
            }
            return this;
        }

        /** The record; the writer is done with. */
        byte[] toByteArray() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }

        /** The bytes {@link #add} writes for this group. */
        static int groupSize(byte[] code, List<byte[]> values) {
            if (values.isEmpty()) {
                return 0;
            }
            int size = Bytes.varintSize(code.length) + code.length + Bytes.varintSize(values.size());
            for (byte[] v : values) {
                size += Bytes.varintSize(v.length) + v.length;
            }
            return size;
        }

        private void put(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void putVarint(int n) {
            room(Bytes.varintSize(n));
            while ((n & ~0x7F) != 0) {
                buf[size++] = (byte) ((n & 0x7F) | 0x80);
                n >>>= 7;
            }
            buf[size++] = (byte) n;
        }

        private void room(int n) {
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
            }
        }
    }

    /** Receives the groups of a record. */
    @FunctionalInterface
    public interface GroupConsumer {
        void accept(String code, List<byte[]> values);
    }

    /** The values of one code (UTF-8), in unsigned byte order; empty when the record has none. */
    public static List<byte[]> values(byte[] record, byte[] code) {
        Reader r = new Reader(record);
        if (!r.find(code)) {
            return new ArrayList<>();
        }
        int count = r.varint();
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int len = r.varint();
            out.add(Arrays.copyOfRange(record, r.at, r.at + len));
            r.at += len;
        }
        return out;
    }

    /** Every group, in the record's order. */
    public static void forEach(byte[] record, GroupConsumer consumer) {
        Reader r = new Reader(record);
        while (r.at < record.length) {
            int codeLength = r.varint();
            String code = new String(record, r.at, codeLength, StandardCharsets.UTF_8);
            r.at += codeLength;
            int count = r.varint();
            List<byte[]> values = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int len = r.varint();
                values.add(Arrays.copyOfRange(record, r.at, r.at + len));
                r.at += len;
            }
            consumer.accept(code, values);
        }
    }

    /** A position in a record. */
    private static final class Reader {

        final byte[] record;
        int at;

        Reader(byte[] record) {
            this.record = record;
        }

        int varint() {
            int n = 0;
            for (int shift = 0;; shift += 7) {
                byte b = record[at++];
                n |= (b & 0x7F) << shift;
                if (b >= 0) {
                    return n;
                }
            }
        }

        /** Moves to the count of the group of {@code code}; false when there is none. */
        boolean find(byte[] code) {
            while (at < record.length) {
                int codeLength = varint();
                boolean match = Arrays.equals(record, at, at + codeLength, code, 0, code.length);
                at += codeLength;
                if (match) {
                    return true;
                }
                for (int count = varint(); count > 0; count--) {
                    int len = varint(); // not at += varint(): that would add to the position before the length
                    at += len;
                }
            }
            return false;
        }
    }
}
