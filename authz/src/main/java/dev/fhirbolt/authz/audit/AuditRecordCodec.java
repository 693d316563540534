package dev.fhirbolt.authz.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The stored value of an audit event: its {@link AuditRecord} (less the time, which is in the key) and the site,
 * as length-prefixed UTF-8 strings — about a sixth of the AuditEvent's JSON, which is rendered from it when read.
 */
final class AuditRecordCodec {

    /** The layout's version, the value's first byte, so a later layout can still read this one. */
    private static final byte FORMAT = 1;
    private static final int NULL = 0;

    private AuditRecordCodec() {
    }

    static byte[] encode(AuditRecord r, String site) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        out.write(FORMAT);
        out.write(r.success() ? 1 : 0);
        for (String s : new String[] {r.category(), r.subtype(), r.action(), r.outcomeText(), r.user(), r.fhirUser(),
                r.clientId(), r.patient(), r.remoteAddress(), r.request(), r.resource(), site}) {
            string(out, s);
        }
        return out.toByteArray();
    }

    /** The record stored under a key whose time is {@code at}, and its site. */
    static Decoded decode(Instant at, byte[] value) {
        if (value.length < 2 || value[0] != FORMAT) {
            throw new IllegalStateException("not an audit record of format " + FORMAT);
        }
        Reader in = new Reader(value, 2);
        AuditRecord r = new AuditRecord(at, in.next(), in.next(), in.next(), value[1] == 1, in.next(), in.next(),
                in.next(), in.next(), in.next(), in.next(), in.next(), in.next());
        return new Decoded(r, in.next());
    }

    record Decoded(AuditRecord record, String site) {
    }

    /** Length + 1 as a varint (0 for null), then the UTF-8 bytes. */
    private static void string(ByteArrayOutputStream out, String s) {
        if (s == null) {
            out.write(NULL);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = b.length + 1;
        while (n >= 0x80) {
            out.write((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.write(b, 0, b.length);
    }

    private static final class Reader {
        private final byte[] b;
        private int at;

        Reader(byte[] b, int at) {
            this.b = b;
            this.at = at;
        }

        String next() {
            int n = 0;
            int shift = 0;
            int x;
            do {
                x = b[at++];
                n |= (x & 0x7F) << shift;
                shift += 7;
            } while ((x & 0x80) != 0);
            if (n == NULL) {
                return null;
            }
            String s = new String(b, at, n - 1, StandardCharsets.UTF_8);
            at += n - 1;
            return s;
        }
    }
}
