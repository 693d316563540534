package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.fhir.ResourceJson;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every populated {@link Reference} of a resource, wherever it sits: nested elements, extensions (also inside
 * extensions), modifier extensions and contained resources. Each slot remembers the reference as the client sent it,
 * so resolution can be redone from scratch (a transaction replans when what it read changed). A resource still
 * holding the JSON tree it was parsed from has each change mirrored there ({@link ResourceJson#resolved}).
 */
public final class References {

    /** One reference, its original value and the tree of its resource (null: none). */
    public record Slot(Reference reference, String original, ResourceJson json) {

        public void set(String value) {
            reference.setReference(value);
            if (json != null) {
                json.resolved(original, value);
            }
        }

        public void reset() {
            set(original);
        }
    }

    private References() {
    }

    public static List<Slot> of(Resource resource) {
        List<Slot> slots = new ArrayList<>();
        walk(resource, slots, ResourceJson.of(resource).orElse(null));
        return slots;
    }

    private static void walk(Base element, List<Slot> slots, ResourceJson json) {
        if (element instanceof Reference ref && ref.hasReference()) {
            slots.add(new Slot(ref, ref.getReference(), json));
            if (json != null) {
                json.inModel(ref.getReference());
            }
        }
        if (element.isPrimitive()) {
            return;
        }
        for (Property property : element.children()) {
            if (!property.hasValues()) {
                continue;
            }
            for (Base value : property.getValues()) {
                if (value != null) {
                    walk(value, slots, json);
                }
            }
        }
    }

    /** True for {@code Type?criteria}: a conditional reference to resolve by search. */
    public static boolean isConditional(String reference) {
        int q = reference.indexOf('?');
        return q > 0 && dev.fhirbolt.fhir.Fhir.isResourceType(reference.substring(0, q));
    }
}
