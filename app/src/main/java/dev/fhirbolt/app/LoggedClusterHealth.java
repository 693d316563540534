package dev.fhirbolt.app;

import dev.fhirbolt.cluster.ClusterHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports the cluster's trouble in the log, and in /health. */
final class LoggedClusterHealth implements ClusterHealth {

    private static final Logger LOG = LoggerFactory.getLogger(LoggedClusterHealth.class);
    private volatile String problem;

    @Override
    public void degraded(String reason) {
        if (!reason.equals(problem)) {
            LOG.warn("cluster: {}", reason);
        }
        problem = reason;
    }

    @Override
    public void healthy() {
        if (problem != null) {
            LOG.info("cluster: this node applies the transaction log again");
        }
        problem = null;
    }

    /** What keeps this node from following the log, or null. */
    String problem() {
        return problem;
    }
}
