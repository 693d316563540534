package dev.fhirbolt.txlog;

/** One record of the log and its position. */
public record TxLogRecord(long position, byte[] payload) {
}
