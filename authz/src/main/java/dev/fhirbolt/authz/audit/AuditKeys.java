package dev.fhirbolt.authz.audit;

import dev.fhirbolt.storage.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The keys of the audit keyspaces. An event's key is its time key: {@code recorded-ms:8 sequence:8} (sortable
 * longs), so events come in time order and the sequence breaks ties in the order the writer took them. The
 * AuditEvent's id is that key in hex (32 characters), so reading an id is one point get and needs no id index.
 * An index key is {@code term 0 timeKey}: a term is {@code agent=Practitioner/1},
 * {@code agent:identifier=system|value}, {@code patient=Patient/1} or {@code entity=Observation/1}, and the events of
 * one term come in time order too.
 */
final class AuditKeys {

    static final int TIME_KEY = 16;
    /**
     * Not an index term: every request without a token has it (all of them with security off), so reading its entries
     * would cost more than reading the events themselves.
     */
    static final String ANONYMOUS = AuditEventContent.USER_SYSTEM + "|anonymous";
    private static final HexFormat HEX = HexFormat.of();

    private AuditKeys() {
    }

    static byte[] timeKey(long millis, long sequence) {
        byte[] key = new byte[TIME_KEY];
        System.arraycopy(Bytes.sortableLong(millis), 0, key, 0, 8);
        System.arraycopy(Bytes.sortableLong(sequence), 0, key, 8, 8);
        return key;
    }

    static long millis(byte[] timeKey) {
        return Bytes.readSortableLong(timeKey, 0);
    }

    static long sequence(byte[] timeKey) {
        return Bytes.readSortableLong(timeKey, 8);
    }

    static String id(byte[] timeKey) {
        return HEX.formatHex(timeKey);
    }

    /** The time key an id names; empty for anything that is not one of our ids. */
    static Optional<byte[]> fromId(String id) {
        if (id.length() != 2 * TIME_KEY) {
            return Optional.empty();
        }
        try {
            return Optional.of(HEX.parseHex(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static byte[] termPrefix(String term) {
        byte[] t = term.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(t, t.length + 1);
    }

    static byte[] indexKey(byte[] termPrefix, byte[] timeKey) {
        byte[] key = Arrays.copyOf(termPrefix, termPrefix.length + TIME_KEY);
        System.arraycopy(timeKey, 0, key, termPrefix.length, TIME_KEY);
        return key;
    }

    static byte[] timeKeyOfIndexKey(byte[] indexKey) {
        return Arrays.copyOfRange(indexKey, indexKey.length - TIME_KEY, indexKey.length);
    }

    /** The index terms of an event: who its agents are, what it was about, whose patient data it touched. */
    static List<String> terms(AuditEventContent c) {
        List<String> terms = new ArrayList<>(5);
        for (String agent : AuditFields.agentReferences(c)) {
            terms.add("agent=" + agent);
        }
        for (String identifier : AuditFields.agentIdentifiers(c)) {
            if (!identifier.equals(ANONYMOUS)) {
                terms.add("agent:identifier=" + identifier);
            }
        }
        for (String entity : AuditFields.entities(c)) {
            terms.add("entity=" + entity);
        }
        for (String patient : AuditFields.patients(c)) {
            terms.add("patient=" + patient);
        }
        return terms;
    }
}
