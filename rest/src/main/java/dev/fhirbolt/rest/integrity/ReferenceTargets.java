package dev.fhirbolt.rest.integrity;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.Issue;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.rest.bundle.References;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * Referential integrity on write: every literal reference of the form {@code Type/id} (or
 * {@code Type/id/_history/v}) must point to a resource that exists on this server, or that the same transaction
 * writes. Contained ({@code #x}), absolute and {@code urn:} references are not checked.
 */
public final class ReferenceTargets {

    private final ResourceStore store;

    public ReferenceTargets(ResourceStore store) {
        this.store = store;
    }

    /**
     * Refuses the resource (422) when a reference points to nothing.
     *
     * @param written {@code Type/id} of what the same transaction creates or updates (its final state)
     */
    public void check(Resource resource, Set<String> written) {
        List<Issue> issues = null;
        Set<String> seen = new HashSet<>();
        for (String reference : References.values(resource)) {
            String target = localTarget(reference);
            if (target == null || !seen.add(target) || written.contains(target)) {
                continue;
            }
            int slash = target.indexOf('/');
            if (!store.exists(target.substring(0, slash), target.substring(slash + 1))) {
                if (issues == null) {
                    issues = new ArrayList<>();
                }
                issues.add(new Issue("error", "not-found", "the reference " + reference
                        + " points to a resource that does not exist on this server", Optional.empty(), 0, 0));
            }
        }
        if (issues != null) {
            throw new FhirException(422, IssueType.PROCESSING, resource.fhirType() + " refers to "
                    + issues.size() + " resource(s) that do not exist: " + issues.get(0).diagnostics(), issues);
        }
    }

    /** {@code Type/id} of a relative literal reference to a resource type; null for anything else. */
    static String localTarget(String reference) {
        if (reference == null || reference.isEmpty() || reference.startsWith("#") || reference.indexOf(':') >= 0
                || reference.indexOf('?') >= 0) {
            return null;
        }
        String[] parts = reference.split("/");
        if (parts.length != 2 && !(parts.length == 4 && parts[2].equals("_history"))) {
            return null;
        }
        if (!Fhir.isResourceType(parts[0]) || parts[1].isEmpty()) {
            return null;
        }
        return parts[0] + "/" + parts[1];
    }
}
