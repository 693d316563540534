package dev.fhirbolt.validation.packages;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The regular files of a gzip-compressed tar archive (ustar, with GNU long names and pax {@code path} records), read
 * into memory with a limit on their total size. Anything else in the archive (directories, links) is ignored.
 */
final class TarGz {

    private static final int BLOCK = 512;

    private TarGz() {
    }

    /** The files by path; a damaged archive or one over {@code maxBytes} is an {@link PackageException}. */
    static Map<String, byte[]> files(byte[] tgz, long maxBytes) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(tgz))) {
            long total = 0;
            String longName = null;
            byte[] header = new byte[BLOCK];
            while (readFully(in, header)) {
                if (isZero(header)) {
                    break;
                }
                long size = octal(header, 124, 12);
                if (size < 0 || total + size > maxBytes) {
                    throw new PackageException("the package is larger than " + maxBytes + " bytes unpacked");
                }
                total += size;
                char kind = (char) header[156];
                byte[] content = new byte[(int) size];
                if (!readFully(in, content)) {
                    throw new PackageException("the package archive ends in the middle of a file");
                }
                skip(in, (BLOCK - size % BLOCK) % BLOCK);
                String name = longName != null ? longName : name(header);
                longName = null;
                switch (kind) {
                    case 'L' -> longName = cString(content, 0, content.length);
                    case 'x' -> longName = paxPath(content);
                    case '0', '\0' -> files.put(name, content);
                    default -> { }
                }
            }
        } catch (IOException e) {
            throw new PackageException("not a gzip-compressed tar archive (.tgz): " + e.getMessage());
        }
        return files;
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        String prefix = cString(header, 345, 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(byte[] content) {
        for (String record : new String(content, StandardCharsets.UTF_8).split("\n")) {
            int eq = record.indexOf(" path=");
            if (eq >= 0) {
                return record.substring(eq + 6);
            }
        }
        return null;
    }

    private static String cString(byte[] b, int offset, int length) {
        int end = offset;
        while (end < offset + length && b[end] != 0) {
            end++;
        }
        return new String(b, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int offset, int length) {
        if ((b[offset] & 0x80) != 0) {
            return -1; // base-256 sizes: far beyond any package
        }
        long v = 0;
        for (int i = offset; i < offset + length; i++) {
            byte c = b[i];
            if (c == 0 || c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new PackageException("not a tar archive (bad size field in a header)");
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n == 0 && b.length > 0) {
            return false;
        }
        if (n < b.length) {
            throw new PackageException("the package archive is truncated");
        }
        return true;
    }

    private static void skip(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }
}
