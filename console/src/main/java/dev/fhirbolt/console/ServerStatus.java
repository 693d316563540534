package dev.fhirbolt.console;

import java.util.List;

/**
 * What the server tells the console about itself (the composition root computes it): the security mode, the size of
 * its data on disk and what an operator should fix.
 */
public interface ServerStatus {

    Snapshot snapshot();

    record Snapshot(String securityMode, long dataBytes, List<String> warnings) {
    }

    /** FHIR requests of one minute: how many, and their p50/p95/p99 latency in ms (NaN without requests). */
    record RequestSample(java.time.Instant minute, long requests, double p50, double p95, double p99) {
    }

    /** The last hour of FHIR requests, a sample a minute, oldest first (the minute in progress last). */
    default List<RequestSample> requests() {
        return List.of();
    }

    /** A reference search parameter: {@code sourceType?code=Type/id} finds the sourceType resources that refer to it. */
    record ReferenceParam(String sourceType, String code) {
    }

    /**
     * The reference search parameters that may point at a resource of the type (those that name it as a target or name
     * no target), by source type and code; the resource view asks them who refers to a resource.
     */
    default List<ReferenceParam> referencesTo(String type) {
        return List.of();
    }
}
