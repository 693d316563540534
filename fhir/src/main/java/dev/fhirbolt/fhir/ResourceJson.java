package dev.fhirbolt.fhir;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * The JSON tree a resource was parsed from, kept on the resource (HAPI user data) until its stored JSON is written,
 * so that {@link StampableJson#of} can write it from the tree instead of encoding the model. The model may change in
 * two ways before that, and both are mirrored here: its id (read from the model when writing) and its references,
 * which are only changed through {@link #resolved}. A reference is changed in the tree by its original value; a few
 * other elements are also named "reference" (uri elements such as Expression.reference), so the model's references
 * are counted ({@link #inModel}) to make sure every string changed in the tree is one of them.
 */
public final class ResourceJson {

    private static final String KEY = ResourceJson.class.getName();

    private final ObjectNode tree;
    private final Map<String, String> resolved = new HashMap<>();
    private final Map<String, Integer> inModel = new HashMap<>();
    private boolean inconsistent;

    private ResourceJson(ObjectNode tree) {
        this.tree = tree;
    }

    static void attach(Resource resource, ObjectNode tree) {
        resource.setUserData(KEY, new ResourceJson(tree));
    }

    /** The tree the resource was parsed from, while it is still consistent with it. */
    public static Optional<ResourceJson> of(Resource resource) {
        return Optional.ofNullable((ResourceJson) resource.getUserData(KEY));
    }

    /** Lets the tree go: it is needed for one write only, and a large Bundle should not be held twice. */
    static void detach(Resource resource) {
        resource.setUserData(KEY, null);
    }

    /**
     * Every reference the client sent as {@code original} now reads {@code value}. References are resolved per
     * original value, so two different values for one original cannot be mirrored: the tree is then not used.
     */
    public synchronized void resolved(String original, String value) {
        String earlier = resolved.put(original, value);
        if (earlier != null && !earlier.equals(value)) {
            inconsistent = true;
        }
    }

    /** The model holds a Reference whose value was {@code original} when parsed. */
    public synchronized void inModel(String original) {
        inModel.merge(original, 1, Integer::sum);
    }

    ObjectNode tree() {
        return tree;
    }

    /** What a reference sent as {@code original} reads now. */
    synchronized String reference(String original) {
        return resolved.getOrDefault(original, original);
    }

    synchronized boolean consistent() {
        return !inconsistent;
    }

    /** Whether a reference sent as {@code original} now reads otherwise. */
    synchronized boolean changed(String original) {
        String value = resolved.get(original);
        return value != null && !value.equals(original);
    }

    /** How many of the model's references were sent as {@code original}. */
    synchronized int countInModel(String original) {
        return inModel.getOrDefault(original, 0);
    }
}
