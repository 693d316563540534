package dev.fhirbolt.rest;

import org.hl7.fhir.r4.model.Resource;

/**
 * How far a write may reach, for the interactions that find their targets or build their content themselves:
 * conditional create, update, patch and delete (and a transaction's conditional references) search with
 * {@link #matcher}, so they only find what the caller may see; PATCH results, conditional updates and every write of
 * a transaction pass {@link #checkStored} once their final content is known; plain updates and deletes check the
 * version they will replace and write only if it is still current, so a concurrent write cannot slip a resource out of
 * reach between the check and the commit. The {@link InteractionFilter} puts a guard on the request
 * ({@link #ATTRIBUTE}); without one nothing is narrowed.
 */
public interface WriteGuard {

    /** Request attribute holding the guard. */
    String ATTRIBUTE = "fhirbolt.write-guard";

    /**
     * The matcher for criteria of an interaction of this kind ({@code CREATE} for If-None-Exist, the conditional
     * kinds, {@code SEARCH_TYPE} for a conditional reference): it finds only resources the caller may reach.
     */
    ResourceMatcher matcher(InteractionKind kind, ResourceMatcher all);

    /**
     * Checks {@code resource}, about to be stored as {@code type/id} by an interaction of this kind: the current
     * resource with that id (if any) and the new content must both be within reach. Throws to refuse.
     */
    void checkStored(InteractionKind kind, String type, String id, Resource resource);

    /** Checks that the current resource {@code type/id} (if any) is within reach of a deletion. Throws to refuse. */
    void checkDeletable(String type, String id);

    WriteGuard NONE = new WriteGuard() {
        @Override
        public ResourceMatcher matcher(InteractionKind kind, ResourceMatcher all) {
            return all;
        }

        @Override
        public void checkStored(InteractionKind kind, String type, String id, Resource resource) {
        }

        @Override
        public void checkDeletable(String type, String id) {
        }
    };

    /** The guard on this request, {@link #NONE} without one. */
    static WriteGuard of(FhirRequest request) {
        return request.attribute(ATTRIBUTE, WriteGuard.class).orElse(NONE);
    }
}
