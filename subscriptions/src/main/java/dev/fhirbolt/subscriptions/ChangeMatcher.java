package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchEngine;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * Tests one changed resource against a subscription with the search module's in-memory matcher (the values the
 * indexer would compute, against the criteria), and against what the subscription's creator may read. The resource
 * is parsed at most once however many subscriptions look at it.
 */
final class ChangeMatcher {

    private final SearchEngine search;

    ChangeMatcher(SearchEngine search) {
        this.search = search;
    }

    /** A changed version, parsed and placed in its compartments when first needed. */
    static final class Change {
        final ResourceVersion version;
        private Resource parsed;
        private Set<String> compartments;

        Change(ResourceVersion version) {
            this.version = version;
        }
    }

    boolean matches(SubscriptionSpec spec, Change change) {
        ResourceVersion v = change.version;
        if (!spec.criteria().type().equals(v.type())) {
            return false;
        }
        if (v.deleted()) {
            // a deletion has no content to test: only topic subscriptions without a filter hear of it
            return spec.topicBased() && spec.criteria().params().isEmpty()
                    && !spec.audience().restricted() && spec.audience().mayRead(v.type(), Set.of());
        }
        if (!spec.criteria().params().isEmpty()
                && !search.matchesInMemory(resource(change), spec.criteria().params()).orElse(false)) {
            return false;
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
