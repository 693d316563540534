package dev.fhirbolt.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.parser.IParser;
import dev.fhirbolt.database.VersionedBody;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The compact JSON a resource is stored and served as, encoded once on the request thread with a placeholder where
 * meta.versionId goes; the commit pipeline splices in the real version and lastUpdated, a copy of a few bytes.
 */
public final class StampableJson implements VersionedBody {

    /** What JSON written without HAPI ({@link #ofEncoded}) puts as meta.versionId, meta's only field. */
    public static final String VERSION_PLACEHOLDER = "fhirbolt-version-placeholder-7f3c";
    private static final byte[] VERSION_FIELD = "\"versionId\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] LAST_UPDATED_FIELD = "\",\"lastUpdated\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SENTINEL_FIELD = ("\"versionId\":\"" + VERSION_PLACEHOLDER + "\"").getBytes(StandardCharsets.UTF_8);
    private static final DateTimeFormatter INSTANT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    private final byte[] template;
    private final int placeholderAt;

    private StampableJson(byte[] template, int placeholderAt) {
        this.template = template;
        this.placeholderAt = placeholderAt;
    }

    /**
     * Encodes with a context that does not look for references to resources without an id to contain: HAPI's
     * encoder otherwise walks every element of every resource for them, a tenth of the CPU of a Synthea load. What is
     * stored was read from a request body (or re-read after a patch), and parsed resources never hold such a reference:
     * JSON and XML can only point at contained resources, and HAPI links Bundle entries to each other only by fullUrl,
     * which is also the linked entry's id. A resource with contained resources is encoded with the ordinary context.
     */
    private static final FhirContext NO_AUTO_CONTAIN = noAutoContain();

    private static FhirContext noAutoContain() {
        FhirContext context = new FhirContext(FhirVersionEnum.R4);
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }

    /**
     * The resource's stored JSON (its id already set): written from the JSON tree it was parsed from when it has one
     * ({@link ResourceJson}) and the tree can be copied, else encoded by HAPI. Either way the tree is let go and the
     * model's meta version fields are changed as stored (what indexing then sees).
     */
    public static StampableJson of(Resource resource) {
        resource.getMeta().setVersionId(VERSION_PLACEHOLDER);
        resource.getMeta().setLastUpdatedElement(null);
        ResourceJson source = ResourceJson.of(resource).orElse(null);
        if (source != null) {
            ResourceJson.detach(resource);
            StampableTree.Outcome fromTree = StampableTree.write(resource, source);
            if (fromTree.json() != null) {
                return ofEncoded(fromTree.json());
            }
        }
        return of(resource, resource instanceof DomainResource d && !d.hasContained());
    }

    /** As {@link #of(Resource)}; {@code skipAutoContain}: encode with {@link #NO_AUTO_CONTAIN}. */
    static StampableJson of(Resource resource, boolean skipAutoContain) {
        resource.getMeta().setVersionId(VERSION_PLACEHOLDER);
        resource.getMeta().setLastUpdatedElement(null);
        IParser parser = (skipAutoContain ? NO_AUTO_CONTAIN : Fhir.context()).newJsonParser();
        return ofEncoded(parser.encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Compact JSON encoded elsewhere exactly as HAPI would encode it, with {@code "meta":{"versionId":"}}
     * {@link #VERSION_PLACEHOLDER}{@code "}} where the meta goes.
     */
    public static StampableJson ofEncoded(byte[] json) {
        int at = indexOf(json, SENTINEL_FIELD);
        if (at < 0) {
            throw new IllegalStateException("encoded resource lacks its version placeholder");
        }
        return new StampableJson(json, at);
    }

    @Override
    public byte[] stamp(long version, Instant lastUpdated) {
        byte[] versionDigits = Long.toString(version).getBytes(StandardCharsets.ISO_8859_1);
        byte[] instant = instantBytes(lastUpdated);
        int fieldsLength = VERSION_FIELD.length + versionDigits.length + LAST_UPDATED_FIELD.length + instant.length + 1;
        int tail = placeholderAt + SENTINEL_FIELD.length;
        byte[] out = new byte[template.length - SENTINEL_FIELD.length + fieldsLength];
        System.arraycopy(template, 0, out, 0, placeholderAt);
        int at = placeholderAt;
        at = put(out, at, VERSION_FIELD);
        at = put(out, at, versionDigits);
        at = put(out, at, LAST_UPDATED_FIELD);
        at = put(out, at, instant);
        out[at++] = '"';
        System.arraycopy(template, tail, out, at, template.length - tail);
        return out;
    }

    /** The stored JSON with its version placeholder: {@link #ofEncoded} rebuilds this body from it. */
    @Override
    public java.util.Optional<byte[]> template() {
        return java.util.Optional.of(template);
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    /** An instant as FHIR writes it, {@code 2026-11-29T17:03:08.123Z}: UTC, milliseconds. */
    public static String formatInstant(Instant instant) {
        return new String(instantBytes(instant), StandardCharsets.ISO_8859_1);
    }

    /** {@link #formatInstant} written digit by digit: it runs for every stored version and every response entry. */
    private static byte[] instantBytes(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return INSTANT.format(instant).getBytes(StandardCharsets.ISO_8859_1);
        }
        byte[] b = new byte[24];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, t.getMonthValue(), 2);
        b[7] = '-';
        digits(b, 8, t.getDayOfMonth(), 2);
        b[10] = 'T';
        digits(b, 11, t.getHour(), 2);
        b[13] = ':';
        digits(b, 14, t.getMinute(), 2);
        b[16] = ':';
        digits(b, 17, t.getSecond(), 2);
        b[19] = '.';
        digits(b, 20, t.getNano() / 1_000_000, 3);
        b[23] = 'Z';
        return b;
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return new String(Arrays.copyOf(template, Math.min(template.length, 200)), StandardCharsets.UTF_8);
    }
}
