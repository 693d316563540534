package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.Route;

/** GET [type]/[id]/_history/[vid]; a version that recorded a deletion answers 410. */
public final class VreadInteraction implements Interaction {

    private final ResourceStore store;

    public VreadInteraction(ResourceStore store) {
        this.store = store;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        String id = route.requireId();
        String vid = route.versionId().orElseThrow();
        long version;
        try {
            version = Long.parseLong(vid);
        } catch (NumberFormatException e) {
            throw FhirException.notFound(type + "/" + id + " has no version '" + vid + "'");
        }
        ResourceVersion v = store.readVersion(type, id, version)
                .orElseThrow(() -> FhirException.notFound(type + "/" + id + " has no version " + vid));
        if (v.deleted()) {
            throw FhirException.gone("version " + vid + " of " + type + "/" + id + " records its deletion");
        }
        return ReadInteraction.found(request, v);
    }
}
