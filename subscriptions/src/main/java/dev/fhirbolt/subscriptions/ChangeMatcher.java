package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.query.CompiledMatch;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * Tests one changed resource against a subscription with the search module's in-memory matcher, compiled once per
 * criteria ({@link CompiledMatch}: the values the indexer would compute, against the criteria's value matchers), and
 * against what the subscription's creator may read. The resource is parsed, and each parameter's values computed, at
 * most once however many subscriptions look at it.
 */
final class ChangeMatcher {

    private final SearchEngine search;
    /** Criteria compiled once (parameters resolved, value matchers built); empty: not evaluable in memory. */
    private final java.util.Map<Criteria, java.util.Optional<CompiledMatch>> compiled =
            new java.util.concurrent.ConcurrentHashMap<>();

    ChangeMatcher(SearchEngine search) {
        this.search = search;
    }

    /** A changed version, parsed and placed in its compartments when first needed. */
    static final class Change {
        final ResourceVersion version;
        private Resource parsed;
        private Set<String> compartments;
        /** Each search parameter's values of this resource, computed once for all subscriptions. */
        private final java.util.Map<CompiledParam, java.util.List<byte[]>> values = new java.util.IdentityHashMap<>();

        Change(ResourceVersion version) {
            this.version = version;
        }
    }

    /** A subscription with its criteria compiled: what the dispatcher tests each change against. */
    record Compiled(SubscriptionSpec spec, java.util.Optional<CompiledMatch> match) {
    }

    /**
     * The spec with its criteria compiled, once per spec (kept by its worker): looking the compiled form up by criteria
     * for every change hashed and compared the criteria's parameter maps once per subscription per change.
     */
    Compiled compile(SubscriptionSpec spec) {
        if (spec.criteria().params().isEmpty()) {
            return new Compiled(spec, java.util.Optional.empty());
        }
        return new Compiled(spec, compiled.computeIfAbsent(spec.criteria(), c -> CompiledMatch.compile(
                search.registry(), c.type(), c.params())));
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
            if (match == null || !match.matches(resource(change), change.values)) {
                return false;
            }
        }
        Set<String> compartments = spec.audience().restricted() ? compartments(change) : Set.of();
        return spec.audience().mayRead(v.type(), compartments);
    }

    private Resource resource(Change change) {
        if (change.parsed == null) {
            change.parsed = ResourceReader.readStored(change.version.json());
        }
        return change.parsed;
    }

    private Set<String> compartments(Change change) {
        if (change.compartments == null) {
            change.compartments = search.compartmentsOf(resource(change));
        }
        return change.compartments;
    }
}
