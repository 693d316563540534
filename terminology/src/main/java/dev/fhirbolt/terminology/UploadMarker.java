package dev.fhirbolt.terminology;

import java.nio.ByteBuffer;

/**
 * The marker of an upload, kept beside its index ({@link IndexKeys}, kind {@code u}): when its writer started and when
 * it last showed it was going on (milliseconds since the epoch, by the clock of the node that wrote it). The writer
 * writes it before the first concept and touches it at least every {@value #TOUCH_MILLIS} ms while concepts arrive,
 * and once more when the upload's records are complete; a deletion deletes it last. {@link UploadSweep} leaves alone
 * an upload whose marker was touched within its grace period.
 */
record UploadMarker(long startedMillis, long touchedMillis) {

    /** How often a writer touches its marker while concepts arrive (one tiny write: a log record in a cluster). */
    static final long TOUCH_MILLIS = 1_000;

    static byte[] key(byte[] upload) {
        return IndexKeys.kind(upload, IndexKeys.MARKER);
    }

    byte[] encode() {
        return ByteBuffer.allocate(16).putLong(startedMillis).putLong(touchedMillis).array();
    }

    /** A marker's value; a value of another length (not one this version wrote) reads as touched at the epoch. */
    static UploadMarker decode(byte[] value) {
        if (value.length != 16) {
            return new UploadMarker(0, 0);
        }
        ByteBuffer b = ByteBuffer.wrap(value);
        return new UploadMarker(b.getLong(), b.getLong());
    }
}
