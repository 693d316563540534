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
}
