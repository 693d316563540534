package dev.fhirbolt.storage.rocksdb;

import dev.fhirbolt.storage.StorageFullException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a write up front when the database's file system has less free space than a reserve plus the write itself.
 * RocksDB would otherwise run into "no space left on device" half-way through its write-ahead log, and after that it
 * refuses every write until its own recovery notices free space again (tens of seconds). Checked before each write
 * (one statfs call), so writes resume as soon as space is freed.
 */
final class DiskSpace {

    private static final long MB = 1024 * 1024;

    private final Path directory;
    private final FileStore fileStore;
    private final long reserveBytes;

    DiskSpace(Path directory, long reserveBytes) throws IOException {
        this.directory = directory;
        this.fileStore = Files.getFileStore(directory);
        this.reserveBytes = reserveBytes;
    }

    /** Throws {@link StorageFullException} when a write of about {@code bytes} would leave less than the reserve. */
    void check(long bytes) {
        if (reserveBytes <= 0) {
            return;
        }
        long usable;
        try {
            usable = fileStore.getUsableSpace();
        } catch (IOException e) {
            return; // cannot tell: let the write itself find out
        }
        if (usable - bytes < reserveBytes) {
            throw new StorageFullException("the disk holding " + directory + " is full: " + usable / MB
                    + " MB free, and writes keep at least " + reserveBytes / MB + " MB free (min-free-disk-mb)"
                    + (bytes >= MB ? " besides this write's " + bytes / MB + " MB" : "")
                    + ". Free disk space; writes resume at once", null);
        }
    }

    static boolean isNoSpace(org.rocksdb.RocksDBException e) {
        org.rocksdb.Status status = e.getStatus();
        if (status != null && status.getSubCode() == org.rocksdb.Status.SubCode.NoSpace) {
            return true;
        }
        String message = String.valueOf(e.getMessage());
        return message.contains("No space left") || message.contains("NoSpace");
    }
}
