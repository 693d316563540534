package dev.fhirbolt.app;

import dev.fhirbolt.cluster.ClusterHealth;
import dev.fhirbolt.common.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that cannot follow the transaction log is DOWN in /health (its writes would wait, its reads be stale), so a
 * load balancer sends requests elsewhere until it catches up; the log says why, once.
 */
final class LoggedClusterHealth implements ClusterHealth {

    private static final Logger LOG = LoggerFactory.getLogger(LoggedClusterHealth.class);
    static final String COMPONENT = "cluster";
    private final Health health;

    LoggedClusterHealth(Health health) {
        this.health = health;
    }

    @Override
    public void degraded(String reason) {
        boolean known = health.condition(COMPONENT).map(c -> c.reason().equals(reason)).orElse(false);
        if (!known) {
            LOG.warn("cluster: {}", reason);
        }
        health.report(COMPONENT, Health.Level.DOWN, reason);
    }

    @Override
    public void healthy() {
        if (health.condition(COMPONENT).isPresent()) {
            LOG.info("cluster: this node applies the transaction log again");
        }
        health.clear(COMPONENT);
    }
}
