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
}
