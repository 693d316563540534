package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.query.CompiledMatch;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tests one changed resource against a subscription with the search module's in-memory matcher, compiled once per
 * criteria ({@link CompiledMatch}: the values the indexer would compute, against the criteria's value matchers), and
 * against what the subscription's creator may read. Each parameter's values of the resource are computed at most once
 * however many subscriptions look at it ({@link Change}).
 */
final class ChangeMatcher {

    private final SearchEngine search;
    /** Criteria compiled once (parameters resolved, value matchers built); empty: not evaluable in memory. */
    private final Map<Criteria, Optional<CompiledMatch>> compiled = new ConcurrentHashMap<>();

    ChangeMatcher(SearchEngine search) {
        this.search = search;
    }

    /** A subscription with its criteria compiled: what the dispatcher tests each change against. */
    record Compiled(SubscriptionSpec spec, Optional<CompiledMatch> match) {

        /** The parameter and values a matching change must have one of ({@link SubscriptionIndex}); empty: none. */
        Optional<CompiledMatch.Key> key() {
            return match.flatMap(CompiledMatch::key);
        }
    }

    /** A change read back from the feed (its values computed from the stored JSON when needed). */
    Change change(ResourceVersion version) {
        return new Change(version, search.registry());
    }

    /** A change whose values come from {@code record}, the index record its write computed (null: none). */
    Change change(ResourceVersion version, byte[] record) {
        return new Change(version, search.registry(), record);
    }

    /**
     * The spec with its criteria compiled, once per spec (kept by its worker): looking the compiled form up by criteria
     * for every change hashed and compared the criteria's parameter maps once per subscription per change.
     */
    Compiled compile(SubscriptionSpec spec) {
        if (spec.criteria().params().isEmpty()) {
            return new Compiled(spec, Optional.empty());
        }
        return new Compiled(spec, compiled.computeIfAbsent(spec.criteria(), c -> CompiledMatch.compile(
                search.registry(), c.type(), c.params())));
    }

    /** Whether {@code audience} may read {@code version} (a deletion only without a compartment restriction). */
    boolean visible(Audience audience, ResourceVersion version) {
        if (!audience.restricted()) {
            return audience.mayRead(version.type(), Set.of());
        }
        return !version.deleted()
                && audience.mayRead(version.type(), change(version).compartments(search::compartmentsOf));
    }

    boolean matches(Compiled subscription, Change change) {
        SubscriptionSpec spec = subscription.spec();
        ResourceVersion v = change.version;
        if (!spec.criteria().type().equals(v.type())) {
            return false;
        }
        if (v.deleted()) {
            // a deletion has no content to test: only topic subscriptions without a filter hear of it
            return spec.topicBased() && spec.criteria().params().isEmpty()
                    && !spec.audience().restricted() && spec.audience().mayRead(v.type(), Set.of());
        }
        if (!spec.criteria().params().isEmpty()) {
            CompiledMatch match = subscription.match().orElse(null);
            if (match == null || !match.matches(change::values)) {
                return false;
            }
        }
        Set<String> compartments = spec.audience().restricted() ? change.compartments(search::compartmentsOf)
                : Set.of();
        return spec.audience().mayRead(v.type(), compartments);
    }
}
