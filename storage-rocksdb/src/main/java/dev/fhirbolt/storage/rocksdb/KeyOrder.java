package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvBatch;
import java.util.Arrays;

/**
 * Puts a batch's changes in unsigned key order, stably (changes of one key keep their order).
 *
 * <p>A comparison sort of a large batch spent its time in cache misses: every comparison read two keys scattered over
 * the heap, about sixteen times per key. This sorts the keys four bytes at a time instead (most significant first):
 * each round packs a key's next four bytes, how many of them the key has, and the key's position in the batch into
 * one {@code long}, sorts those primitives, and goes on with the next four bytes only within runs that are still
 * equal. A key is read once per round it is still tied in, and the position in the low bits keeps equal keys in batch
 * order.
 */
final class KeyOrder {

    private static final int POSITION_BITS = 24;
    private static final int MAX_POSITIONS = 1 << POSITION_BITS;
    private static final long POSITION_MASK = MAX_POSITIONS - 1;
    private static final int CHUNK = 4;
    private static final int SMALL = 32;

    private KeyOrder() {
    }

    /** Sorts {@code changes[from, to)} by key. */
    static void sort(KvBatch.Change[] changes, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return;
        }
        KvBatch.Change[] items = Arrays.copyOfRange(changes, from, to);
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = items[i].key();
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (n >= MAX_POSITIONS) {
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
            for (int i = 0; i < n; i++) {
                order[i] = boxed[i];
            }
        } else {
            sortRange(keys, order, new long[n], 0, n, 0);
        }
        for (int i = 0; i < n; i++) {
            changes[from + i] = items[order[i]];
        }
    }

    /** Orders {@code order[from, to)}, whose keys are equal in their first {@code offset} bytes. */
    private static void sortRange(byte[][] keys, int[] order, long[] packed, int from, int to, int offset) {
        if (to - from <= SMALL) {
            insertionSort(keys, order, from, to, offset);
            return;
        }
        boolean tied = true;
        for (int i = from; i < to; i++) {
            packed[i] = pack(keys[order[i]], offset, order[i]);
            tied &= (packed[i] >>> POSITION_BITS) == (packed[from] >>> POSITION_BITS);
        }
        if (tied) {
            // a shared prefix (a keyspace's keys start alike): nothing to sort in these four bytes
            if (keys[order[from]].length > offset + CHUNK) {
                sortRange(keys, order, packed, from, to, offset + CHUNK);
            }
            return;
        }
        Arrays.sort(packed, from, to);
        for (int i = from; i < to; i++) {
            order[i] = (int) (packed[i] & POSITION_MASK);
        }
        int runStart = from;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || (packed[i] >>> POSITION_BITS) != (packed[runStart] >>> POSITION_BITS)) {
                // a run whose keys all go on past these four bytes is still tied; shorter keys are complete
                if (i - runStart > 1 && keys[order[runStart]].length > offset + CHUNK) {
                    sortRange(keys, order, packed, runStart, i, offset + CHUNK);
                }
                runStart = i;
            }
        }
    }

    /**
     * The key's bytes at [offset, offset + 4) (zeros past its end), then how many of those four it has (so that a key
     * ending there sorts before a longer one with zero bytes; five: it goes on), then its position: 32 + 3 + 24 bits,
     * so the long is never negative and its order is that of the bytes.
     */
    private static long pack(byte[] key, int offset, int position) {
        long chunk = 0;
        int present = Math.max(0, Math.min(CHUNK, key.length - offset));
        for (int i = 0; i < CHUNK; i++) {
            chunk = (chunk << 8) | (i < present ? key[offset + i] & 0xFF : 0);
        }
        long lengthMark = key.length > offset + CHUNK ? CHUNK + 1 : present;
        return (chunk << (3 + POSITION_BITS)) | (lengthMark << POSITION_BITS) | position;
    }

    /** Few keys: compared whole (from {@code offset}, where they are known equal), ties kept in position order. */
    private static void insertionSort(byte[][] keys, int[] order, int from, int to, int offset) {
        for (int i = from + 1; i < to; i++) {
            int item = order[i];
            byte[] key = keys[item];
            int j = i - 1;
            while (j >= from && compare(keys[order[j]], order[j], key, item, offset) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = item;
        }
    }

    private static int compare(byte[] a, int positionA, byte[] b, int positionB, int offset) {
        int byKey = Arrays.compareUnsigned(a, Math.min(offset, a.length), a.length,
                b, Math.min(offset, b.length), b.length);
        return byKey != 0 ? byKey : Integer.compare(positionA, positionB);
    }
}
