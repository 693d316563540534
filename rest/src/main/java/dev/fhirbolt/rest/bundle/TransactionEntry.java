package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.IdGenerator;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Router;
import dev.fhirbolt.rest.patch.PatchDocument;
import dev.fhirbolt.rest.patch.Patches;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Resource;

/**
 * A transaction's entry with what can be known before reading any state: its new id, its patch, its If-Match, the
 * reference slots of its resource; for a large transaction, the means to read its resource again once it was let go.
 */
final class TransactionEntry {
    ParsedEntry p;
    List<References.Slot> slots;
    final String newId;
    final PatchDocument patch;
    final OptionalLong ifMatch;
    /** The id in the body (as the URL names it for a urn:uuid PUT), null: none. */
    final String bodyId;
    /** Told once the entry's write is staged (a large transaction's progress); null: nothing to tell. */
    Runnable staged;
    /** Reads the entry's resource again once it was let go ({@link #release}); null while it is held. */
    Supplier<Resource> reload;

    TransactionEntry(ParsedEntry p) {
        this.p = p;
        InteractionKind kind = p.route().kind();
        boolean writesBody = kind == InteractionKind.CREATE || kind == InteractionKind.UPDATE
                || kind == InteractionKind.CONDITIONAL_UPDATE;
        this.slots = writesBody ? References.of(p.resource()) : List.of();
        this.newId = kind == InteractionKind.CREATE || kind == InteractionKind.CONDITIONAL_UPDATE
                ? IdGenerator.next() : null;
        this.patch = kind == InteractionKind.PATCH || kind == InteractionKind.CONDITIONAL_PATCH
                ? Patches.fromResource(p.resource()) : null;
        this.ifMatch = ETags.version(p.header("If-Match").orElse(null), "If-Match");
        if (kind == InteractionKind.UPDATE) {
            String bodyId = p.resource().hasIdElement() ? p.resource().getIdElement().getIdPart() : null;
            if (bodyId != null && bodyId.equals(p.fullUrl()) && isUrnFor(bodyId, p.route().requireId())) {
                // the parser takes a urn fullUrl for the id; "urn:uuid:X" with PUT Patient/X means id X
                p.resource().setId(p.route().requireId());
                bodyId = p.route().requireId();
            }
            if (bodyId == null || !bodyId.equals(p.route().requireId())) {
                throw FhirException.invalid("the resource id '" + bodyId + "' must equal the URL's id '"
                        + p.route().requireId() + "'");
            }
        }
        if (kind == InteractionKind.CONDITIONAL_UPDATE && p.resource().hasIdElement()
                && p.resource().getIdElement().getIdPart() != null
                && !Router.isValidId(p.resource().getIdElement().getIdPart())) {
            throw FhirException.invalid("'" + p.resource().getIdElement().getIdPart()
                    + "' is not a valid FHIR id");
        }
        this.bodyId = p.resource() != null && p.resource().hasIdElement()
                ? p.resource().getIdElement().getIdPart() : null;
    }

    /**
     * Lets the entry's resource go once it was checked: it is read again from the body when its write is staged
     * ({@code read} parses the entry afresh), so a large transaction never holds all its resources at once.
     */
    void release(Supplier<Resource> read) {
        if (p.resource() == null) {
            return;
        }
        String urlId = p.route().kind() == InteractionKind.UPDATE ? p.route().requireId() : null;
        this.reload = () -> {
            Resource r = read.get();
            if (urlId != null) {
                r.setId(urlId); // as the constructor did for a urn:uuid PUT; a plain PUT already has this id
            }
            return r;
        };
        this.p = p.withoutResource();
        this.slots = List.of();
    }

    /** The entry's resource for its write: the one held, or one read afresh. */
    Resource body() {
        return reload != null ? reload.get() : p.resource();
    }

    String type() {
        return p.route().requireType();
    }

    private static boolean isUrnFor(String fullUrl, String id) {
        return fullUrl.equals("urn:uuid:" + id) || fullUrl.equals("urn:oid:" + id);
    }
}
