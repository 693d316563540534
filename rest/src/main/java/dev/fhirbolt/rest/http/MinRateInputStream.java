package dev.fhirbolt.rest.http;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request body that must keep arriving at a minimum average rate: a client trickling a byte now and then never
 * lets the idle timeout fire, and would hold the request thread reading its body for as long as it liked. After a
 * grace period, a body slower on average than the minimum fails the read with a 408.
 */
final class MinRateInputStream extends FilterInputStream {

    private static final long GRACE_NANOS = 2_000_000_000L;

    private final long minBytesPerSecond;
    private final long started = System.nanoTime();
    private long read;

    MinRateInputStream(InputStream in, long minBytesPerSecond) {
        super(in);
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        count(n);
        return n;
    }

    private void count(int n) {
        if (n <= 0) {
            return;
        }
        read += n;
        long elapsed = System.nanoTime() - started;
        if (elapsed > GRACE_NANOS && read * 1_000_000_000.0 / elapsed < minBytesPerSecond) {
            throw new FhirException(408, IssueType.TIMEOUT, "the request body arrived at "
                    + Math.round(read * 1_000_000_000.0 / elapsed) + " bytes a second, slower than this server's"
                    + " minimum of " + minBytesPerSecond + " (setting min-body-bytes-per-second)");
        }
    }
}
