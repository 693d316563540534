package dev.fhirbolt.bench;

import java.util.Map;

/**
 * The outcome of one measured step (one scenario at one concurrency). Latencies are in milliseconds; CPU figures are
 * in cores (1.0 = one core busy for the whole step); -1 means not known (e.g. no server pid, not Linux).
 */
public record StepResult(
        String scenario,
        int clients,
        double seconds,
        long ok,
        long errors,
        Map<String, Long> errorKinds,
        double p50,
        double p90,
        double p99,
        double max,
        double mean,
        long serverRssBytes,
        double serverCores,
        double benchCores,
        double otherCores) {

    /** Successful requests per second of the measured period. */
    public double throughput() {
        return seconds > 0 ? ok / seconds : 0;
    }
}
