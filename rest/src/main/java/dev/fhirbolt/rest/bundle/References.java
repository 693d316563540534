package dev.fhirbolt.rest.bundle;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.ResourceJson;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseXhtml;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Every populated {@link Reference} of a resource, wherever it sits: nested elements, extensions (also inside
 * extensions and on primitive values), modifier extensions and contained resources. Each slot remembers the
 * reference as the client sent it, so resolution can be redone from scratch (a transaction replans when what it read
 * changed). A resource still holding the JSON tree it was parsed from has each change mirrored there
 * ({@link ResourceJson#resolved}).
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

    /**
     * Reads each element's children through HAPI's cached child definitions: {@code Base.children()} builds a
     * {@link Property} with a copy of its values for every child an element may have, populated or not, and that
     * was a tenth of a Synthea load's allocation.
     */
    private static void walk(IBase element, List<Slot> slots, ResourceJson json) {
        if (element instanceof Reference ref && ref.hasReference()) {
            slots.add(new Slot(ref, ref.getReference(), json));
            if (json != null) {
                json.inModel(ref.getReference());
            }
        }
        if (element instanceof IPrimitiveType<?> || element instanceof IBaseXhtml) {
            // a primitive's own extensions ("_code": {"extension": [...]}) may hold references too
            if (element instanceof Element primitive && primitive.hasExtension()) {
                for (Extension extension : primitive.getExtension()) {
                    walk(extension, slots, json);
                }
            }
            return;
        }
        if (!(Fhir.context().getElementDefinition(element.getClass())
                instanceof BaseRuntimeElementCompositeDefinition<?> composite)) {
            walkProperties((Base) element, slots, json);
            return;
        }
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
            for (IBase value : child.getAccessor().getValues(element)) {
                if (value != null) {
                    walk(value, slots, json);
                }
            }
        }
    }

    /** For an element HAPI has no composite definition of (none is known): its children as the model lists them. */
    private static void walkProperties(Base element, List<Slot> slots, ResourceJson json) {
        for (Property property : element.children()) {
            if (property.hasValues()) {
                for (Base value : property.getValues()) {
                    if (value != null) {
                        walk(value, slots, json);
                    }
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
