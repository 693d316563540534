package dev.fhirbolt.cluster;

/** Where the cluster reports that this node cannot keep up with the log, and that it can again. */
public interface ClusterHealth {

    void degraded(String reason);

    void healthy();

    ClusterHealth NONE = new ClusterHealth() {
        @Override
        public void degraded(String reason) {
        }

        @Override
        public void healthy() {
        }
    };
}
