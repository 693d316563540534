package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.WriteGuard;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What planning a transaction reads: search matches and current versions. The recording reader remembers every
 * answer (and answers repeated questions from memory), so the exclusive planner can check cheaply whether anything
 * the plan depended on has changed since it was made.
 */
class StateReader {

    private final ResourceStore store;
    private final ResourceMatcher matcher;
    private final WriteGuard guard;

    StateReader(ResourceStore store, ResourceMatcher matcher, WriteGuard guard) {
        this.store = store;
        this.matcher = matcher;
        this.guard = guard;
    }

    /** The matches of criteria used by an entry of this kind, among the resources the caller may reach. */
    List<String> match(InteractionKind kind, String type, Params criteria, int limit) {
        return List.copyOf(guard.matcher(kind, matcher).matchIds(type, criteria, limit));
    }

    Optional<ResourceVersion> current(String type, String id) {
        return store.readCurrent(type, id);
    }

    /** Records answers; {@link #unchanged(StateReader)} re-asks them all against the live state. */
    static final class Recording extends StateReader {

        private record MatchKey(InteractionKind kind, String type, String criteria, int limit, Params params) {
            @Override
            public boolean equals(Object o) {
                return o instanceof MatchKey k && k.kind == kind && k.type.equals(type)
                        && k.criteria.equals(criteria) && k.limit == limit;
            }

            @Override
            public int hashCode() {
                return Objects.hash(kind, type, criteria, limit);
            }
        }

        private final StateReader live;
        private final Map<MatchKey, List<String>> matches = new LinkedHashMap<>();
        private final Map<String, Optional<ResourceVersion>> versions = new LinkedHashMap<>();

        Recording(StateReader live) {
            super(null, null, null);
            this.live = live;
        }

        @Override
        List<String> match(InteractionKind kind, String type, Params criteria, int limit) {
            return matches.computeIfAbsent(new MatchKey(kind, type, criteria.toQueryString(), limit, criteria),
                    k -> live.match(kind, type, criteria, limit));
        }

        @Override
        Optional<ResourceVersion> current(String type, String id) {
            return versions.computeIfAbsent(type + "/" + id, k -> live.current(type, id));
        }

        /** True when every recorded question still has the same answer. */
        boolean unchanged(StateReader now) {
            for (var e : matches.entrySet()) {
                MatchKey k = e.getKey();
                if (!now.match(k.kind(), k.type(), k.params(), k.limit()).equals(e.getValue())) {
                    return false;
                }
            }
            for (var e : versions.entrySet()) {
                String key = e.getKey();
                int slash = key.indexOf('/');
                Optional<ResourceVersion> then = e.getValue();
                Optional<ResourceVersion> current = now.current(key.substring(0, slash), key.substring(slash + 1));
                if (then.isPresent() != current.isPresent() || (then.isPresent()
                        && (then.get().version() != current.get().version()
                        || then.get().deleted() != current.get().deleted()))) {
                    return false;
                }
            }
            return true;
        }
    }
}
