package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.KvBatch;
import java.util.Arrays;

/**
 * Puts a batch's changes in unsigned key order, stably (changes of one key keep their order).
 *
 * <p>Its own merge sort rather than {@code Arrays.sort} with a comparator: TimSort is one method body shared by
 * every comparator in the JVM, so the commit thread's sort was recompiled about a dozen times per load as other sorts
 * changed its type profile. The keys are also held in an array of their own, so a comparison reads two keys, not two
 * changes and then their keys.
 */
final class KeyOrder {

    private static final int INSERTION_RUN = 16;

    private KeyOrder() {
    }

    /** Sorts {@code changes[from, to)} by key. */
    static void sort(KvBatch.Change[] changes, int from, int to) {
        int n = to - from;
        if (n < 2) {
            return;
        }
        byte[][] keys = new byte[n][];
        KvBatch.Change[] items = Arrays.copyOfRange(changes, from, to);
        for (int i = 0; i < n; i++) {
            keys[i] = items[i].key();
        }
        for (int start = 0; start < n; start += INSERTION_RUN) {
            insertionSort(keys, items, start, Math.min(start + INSERTION_RUN, n));
        }
        if (n > INSERTION_RUN) {
            byte[][] keyBuffer = new byte[n][];
            KvBatch.Change[] itemBuffer = new KvBatch.Change[n];
            byte[][] srcKeys = keys;
            KvBatch.Change[] srcItems = items;
            for (int width = INSERTION_RUN; width < n; width *= 2) {
                for (int left = 0; left < n; left += 2 * width) {
                    int mid = Math.min(left + width, n);
                    int right = Math.min(left + 2 * width, n);
                    merge(srcKeys, srcItems, keyBuffer, itemBuffer, left, mid, right);
                }
                byte[][] k = srcKeys;
                srcKeys = keyBuffer;
                keyBuffer = k;
                KvBatch.Change[] c = srcItems;
                srcItems = itemBuffer;
                itemBuffer = c;
            }
            items = srcItems;
        }
        System.arraycopy(items, 0, changes, from, n);
    }

    private static void insertionSort(byte[][] keys, KvBatch.Change[] items, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            byte[] key = keys[i];
            KvBatch.Change item = items[i];
            int j = i - 1;
            while (j >= from && Arrays.compareUnsigned(keys[j], key) > 0) {
                keys[j + 1] = keys[j];
                items[j + 1] = items[j];
                j--;
            }
            keys[j + 1] = key;
            items[j + 1] = item;
        }
    }

    /** Merges the sorted runs [left, mid) and [mid, right) of src into the same range of dst; ties take the left. */
    private static void merge(byte[][] srcKeys, KvBatch.Change[] srcItems, byte[][] dstKeys, KvBatch.Change[] dstItems,
            int left, int mid, int right) {
        if (mid >= right || Arrays.compareUnsigned(srcKeys[mid - 1], srcKeys[mid]) <= 0) {
            System.arraycopy(srcKeys, left, dstKeys, left, right - left);
            System.arraycopy(srcItems, left, dstItems, left, right - left);
            return;
        }
        int i = left;
        int j = mid;
        int out = left;
        while (i < mid && j < right) {
            if (Arrays.compareUnsigned(srcKeys[i], srcKeys[j]) <= 0) {
                dstKeys[out] = srcKeys[i];
                dstItems[out++] = srcItems[i++];
            } else {
                dstKeys[out] = srcKeys[j];
                dstItems[out++] = srcItems[j++];
            }
        }
        int rest = mid - i;
        System.arraycopy(srcKeys, i, dstKeys, out, rest);
        System.arraycopy(srcItems, i, dstItems, out, rest);
        out += rest;
        System.arraycopy(srcKeys, j, dstKeys, out, right - j);
        System.arraycopy(srcItems, j, dstItems, out, right - j);
    }
}
