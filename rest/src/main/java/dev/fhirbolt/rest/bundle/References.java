package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.fhir.ResourceJson;
import java.util.ArrayList;
import java.util.List;
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

    /** The literal reference values of a resource, without touching its kept JSON tree (for checks only). */
    public static List<String> values(Resource resource) {
        List<Slot> slots = new ArrayList<>();
        walk(resource, slots, null);
        List<String> values = new ArrayList<>(slots.size());
        for (Slot slot : slots) {
            values.add(slot.original());
        }
        return values;
    }

    public static List<Slot> of(Resource resource) {
        List<Slot> slots = new ArrayList<>();
        walk(resource, slots, ResourceJson.of(resource).orElse(null));
        return slots;
    }

    /**
     * Each element's children by name through the model's own {@code getProperty}, the names of a class listed once:
     * {@code Base.children()} builds a {@link Property} with a copy of its values for every child an element may have,
     * populated or not (a tenth of a Synthea load's allocation), and HAPI's child definitions read fields by
     * reflection, which cost more CPU than that saved.
     */
    private static void walk(Base element, List<Slot> slots, ResourceJson json) {
        if (element instanceof Reference ref && ref.hasReference()) {
            slots.add(new Slot(ref, ref.getReference(), json));
            if (json != null) {
                json.inModel(ref.getReference());
            }
        }
        if (element.isPrimitive()) {
            // a primitive's own extensions ("_code": {"extension": [...]}) may hold references too
            if (element instanceof Element primitive && primitive.hasExtension()) {
                for (Extension extension : primitive.getExtension()) {
                    walk(extension, slots, json);
                }
            }
            return;
        }
        Child[] children = CHILDREN.get(element.getClass());
        if (children == null) {
            for (Property property : element.children()) {
                walkAll(property.getValues().toArray(new Base[0]), slots, json);
            }
            return;
        }
        for (Child child : children) {
            walkAll(element.getProperty(child.hash(), child.name(), false), slots, json);
        }
    }

    private static void walkAll(Base[] values, List<Slot> slots, ResourceJson json) {
        if (values != null) {
            for (Base value : values) {
                if (value != null) {
                    walk(value, slots, json);
                }
            }
        }
    }

    /** A child element's name as {@code getProperty} knows it (a choice without its [x]) and the name's hash. */
    private record Child(int hash, String name) {
    }

    /**
     * The children a model class may have, but narrative XHTML (which holds no reference), from one instance; null
     * for a class that cannot be made without arguments, whose elements are then walked through their own listing.
     */
    private static final ClassValue<Child[]> CHILDREN = new ClassValue<>() {
        @Override
        protected Child[] computeValue(Class<?> type) {
            Base prototype;
            try {
                prototype = (Base) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
            List<Child> children = new ArrayList<>();
            for (Property property : prototype.children()) {
                if (!"xhtml".equals(property.getTypeCode())) {
                    String name = property.getName().endsWith("[x]")
                            ? property.getName().substring(0, property.getName().length() - 3) : property.getName();
                    children.add(new Child(name.hashCode(), name));
                }
            }
            return children.toArray(new Child[0]);
        }
    };

    /** True for {@code Type?criteria}: a conditional reference to resolve by search. */
    public static boolean isConditional(String reference) {
        int q = reference.indexOf('?');
        return q > 0 && dev.fhirbolt.fhir.Fhir.isResourceType(reference.substring(0, q));
    }
}
