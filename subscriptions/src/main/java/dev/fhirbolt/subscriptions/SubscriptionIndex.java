package dev.fhirbolt.subscriptions;

import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.query.CompiledMatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The active subscriptions indexed by resource type and, within a type, by the values their criteria test: a
 * subscription on {@code Observation?code=http://loinc.org|1234-5} is filed under {@code code} = that coding, so a
 * change is tested only against the subscriptions whose key values it has (looked up from its values of each keyed
 * parameter, a handful of hash lookups) and those without a key (no criteria, or only ranges, prefixes, negations).
 * Immutable; rebuilt when the subscriptions change.
 */
final class SubscriptionIndex {

    static final SubscriptionIndex EMPTY = new SubscriptionIndex(Map.of());

    /** The subscriptions on one type. */
    private record TypeIndex(List<SubscriptionWorker> unkeyed,
            Map<CompiledParam, Map<ByteBuffer, List<SubscriptionWorker>>> keyed) {
    }

    private final Map<String, TypeIndex> byType;

    private SubscriptionIndex(Map<String, TypeIndex> byType) {
        this.byType = byType;
    }

    static SubscriptionIndex of(Collection<SubscriptionWorker> workers) {
        Map<String, List<SubscriptionWorker>> unkeyed = new HashMap<>();
        Map<String, Map<CompiledParam, Map<ByteBuffer, List<SubscriptionWorker>>>> keyed = new HashMap<>();
        for (SubscriptionWorker w : workers) {
            String type = w.spec().criteria().type();
            Optional<CompiledMatch.Key> key = w.compiled().key();
            if (key.isEmpty()) {
                unkeyed.computeIfAbsent(type, k -> new ArrayList<>()).add(w);
                continue;
            }
            Map<ByteBuffer, List<SubscriptionWorker>> byValue = keyed.computeIfAbsent(type, k -> new IdentityHashMap<>())
                    .computeIfAbsent(key.get().param(), k -> new HashMap<>());
            for (byte[] v : key.get().values()) {
                List<SubscriptionWorker> list = byValue.computeIfAbsent(ByteBuffer.wrap(v), k -> new ArrayList<>());
                if (!list.contains(w)) {
                    list.add(w);
                }
            }
        }
        Map<String, TypeIndex> out = new HashMap<>();
        Set<String> types = new LinkedHashSet<>(unkeyed.keySet());
        types.addAll(keyed.keySet());
        for (String type : types) {
            Map<CompiledParam, Map<ByteBuffer, List<SubscriptionWorker>>> params = new IdentityHashMap<>();
            keyed.getOrDefault(type, Map.of()).forEach((param, byValue) -> {
                Map<ByteBuffer, List<SubscriptionWorker>> copy = new HashMap<>();
                byValue.forEach((v, list) -> copy.put(v, List.copyOf(list)));
                params.put(param, copy);
            });
            out.put(type, new TypeIndex(List.copyOf(unkeyed.getOrDefault(type, List.of())), params));
        }
        return new SubscriptionIndex(Map.copyOf(out));
    }

    /** Whether any subscription is on {@code type}. */
    boolean covers(String type) {
        return byType.containsKey(type);
    }

    /**
     * The subscriptions {@code change} may match: those without a key, and those with a key value the change has
     * (a deletion has no values: only the unkeyed ones). Each is still tested in full.
     */
    Collection<SubscriptionWorker> candidates(Change change) {
        TypeIndex index = byType.get(change.version.type());
        if (index == null) {
            return List.of();
        }
        if (index.keyed().isEmpty() || change.version.deleted()) {
            return index.unkeyed();
        }
        Collection<SubscriptionWorker> out = null;
        for (Map.Entry<CompiledParam, Map<ByteBuffer, List<SubscriptionWorker>>> e : index.keyed().entrySet()) {
            for (byte[] v : change.values(e.getKey())) {
                List<SubscriptionWorker> hit = e.getValue().get(ByteBuffer.wrap(v));
                if (hit != null) {
                    if (out == null) {
                        out = new LinkedHashSet<>(index.unkeyed());
                    }
                    out.addAll(hit);
                }
            }
        }
        return out == null ? index.unkeyed() : out;
    }
}
