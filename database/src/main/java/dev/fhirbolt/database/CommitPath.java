package dev.fhirbolt.database;

/**
 * Where a {@link ResourceStore}'s commits go: straight into this node's commit pipeline (one server), or first into
 * the cluster's transaction log, from which every node applies them in the same order.
 */
public interface CommitPath {

    /**
     * Plans and applies a commit; {@code exclusive}: the planner reads what its writes depend on (see
     * {@link ResourceStore#commitExclusively}).
     */
    <P> ResourceStore.CommittedPlan<P> commit(CommitPlanner<P> planner, boolean exclusive);
}
