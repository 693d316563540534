package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.IndexKeys;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The ids under one key prefix, in id order: the resources with one exact value in search-value, every resource of
 * a type through its _id entries, or the members of a compartment.
 *
 * <p>A seek first steps forward a few keys: intersecting streams mostly seek a short way ahead, and a step costs a
 * fraction of a storage seek (which positions every level of the LSM tree anew).
 */
final class ValueIdStream implements IdStream {

    /** Keys stepped over before a seek gives up stepping and seeks. */
    static final int STEPS_BEFORE_SEEK = 8;

    /** Reads the id of a key under the prefix, or null for a key to skip. */
    @FunctionalInterface
    interface IdOfKey {
        String id(byte[] key, int prefixLength);
    }

    /** Keys {@code prefix id 0 idLength}: one exact value of search-value. */
    static final IdOfKey EXACT_VALUE = (key, p) -> key.length == p + IndexKeys.idTailLength(key)
            ? IndexKeys.idOfValueKey(key) : null;

    /** Keys {@code prefix ... id 0 idLength} where the value itself starts with the id (the _id entries). */
    static final IdOfKey VALUE_TAIL = (key, p) -> IndexKeys.idOfValueKey(key);

    /** Keys {@code prefix id 0} (search-compartment). */
    static final IdOfKey ID_TERMINATED = (key, p) -> key.length > p + 1 && key[key.length - 1] == 0
            ? new String(key, p, key.length - 1 - p, StandardCharsets.UTF_8) : null;

    private final KvCursor cursor;
    private final byte[] prefix;
    private final IdOfKey idOf;
    private boolean started;
    private boolean pending;

    ValueIdStream(KvCursor cursor, byte[] prefix, IdOfKey idOf) {
        this.cursor = cursor;
        this.prefix = prefix;
        this.idOf = idOf;
    }

    @Override
    public String next() {
        if (!pending) {
            if (started) {
                cursor.next();
            } else {
                cursor.seek(prefix);
                started = true;
            }
        }
        pending = false;
        for (; cursor.isValid(); cursor.next()) {
            byte[] key = cursor.key();
            if (!Bytes.startsWith(key, prefix)) {
                return null;
            }
            String id = idOf.id(key, prefix.length);
            if (id != null) {
                return id;
            }
        }
        return null;
    }

    @Override
    public void seek(String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        if (started && stepTo(idBytes)) {
            return;
        }
        byte[] target = Arrays.copyOf(prefix, prefix.length + idBytes.length);
        System.arraycopy(idBytes, 0, target, prefix.length, idBytes.length);
        cursor.seek(target);
        started = true;
        pending = true;
    }

    /**
     * Steps forward to the first key not below {@code prefix id} (where a seek would land), leaving it pending;
     * false when that is more than {@link #STEPS_BEFORE_SEEK} keys away.
     */
    private boolean stepTo(byte[] id) {
        // from the key under the cursor, even the id returned last: a seek lands on it again when it is not below
        // the target (a merged stream seeks every part, and a part's head may already be past the target)
        pending = true;
        for (int step = 0; cursor.isValid(); step++) {
            byte[] key = cursor.key();
            if (!Bytes.startsWith(key, prefix)
                    || Arrays.compareUnsigned(key, prefix.length, key.length, id, 0, id.length) >= 0) {
                return true;
            }
            if (step == STEPS_BEFORE_SEEK) {
                return false;
            }
            cursor.next();
        }
        return true;
    }
}
