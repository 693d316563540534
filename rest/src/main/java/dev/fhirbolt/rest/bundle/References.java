package dev.fhirbolt.rest.bundle;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every populated {@link Reference} of a resource, wherever it sits: nested elements, extensions (also inside
 * extensions), modifier extensions and contained resources. Each slot remembers the reference as the client sent it,
 * so resolution can be redone from scratch (a transaction replans when what it read changed).
 */
public final class References {

    /** One reference and its original value. */
    public record Slot(Reference reference, String original) {

        public void set(String value) {
            reference.setReference(value);
        }

        public void reset() {
            reference.setReference(original);
        }
    }

    private References() {
    }

    public static List<Slot> of(Resource resource) {
        List<Slot> slots = new ArrayList<>();
        walk(resource, slots);
        return slots;
    }

    private static void walk(Base element, List<Slot> slots) {
        if (element instanceof Reference ref && ref.hasReference()) {
            slots.add(new Slot(ref, ref.getReference()));
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
                    walk(value, slots);
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
