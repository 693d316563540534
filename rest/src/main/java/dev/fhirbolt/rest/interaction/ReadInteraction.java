package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.HttpDates;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.time.temporal.ChronoUnit;

/** GET [type]/[id], with If-None-Match and If-Modified-Since answered by 304. */
public final class ReadInteraction implements Interaction {

    private final ResourceStore store;

    public ReadInteraction(ResourceStore store) {
        this.store = store;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        String type = route.requireType();
        String id = route.requireId();
        ResourceVersion v = store.readCurrent(type, id)
                .orElseThrow(() -> FhirException.notFound(type + "/" + id + " is not known"));
        if (v.deleted()) {
            throw FhirException.gone(type + "/" + id + " was deleted (version " + v.version() + ")");
        }
        if (notModified(request, v)) {
            return FhirResponse.of(304, ResponseBody.NONE).header("ETag", ETags.of(v.version()))
                    .lastModified(v.lastUpdated());
        }
        return found(request, v);
    }

    static FhirResponse found(FhirRequest request, ResourceVersion v) {
        return FhirResponse.of(200, new ResponseBody.Stored(v))
                .header("ETag", ETags.of(v.version()))
                .lastModified(v.lastUpdated())
                .header("Content-Location",
                        request.baseUrl() + "/" + v.type() + "/" + v.id() + "/_history/" + v.version());
    }

    private static boolean notModified(FhirRequest request, ResourceVersion v) {
        var ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isPresent()) {
            String value = ifNoneMatch.get().trim();
            return value.equals("*") || ETags.version(value, "If-None-Match").orElse(-1) == v.version();
        }
        return request.header("If-Modified-Since").flatMap(HttpDates::parse)
                .map(since -> !v.lastUpdated().truncatedTo(ChronoUnit.SECONDS).isAfter(since))
                .orElse(false);
    }
}
