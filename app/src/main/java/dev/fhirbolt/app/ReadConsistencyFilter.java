package dev.fhirbolt.app;

import dev.fhirbolt.cluster.ClusterNode;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.Route;

/**
 * Strong reads in a cluster: before a read or search is answered, this node applies everything the log held when the
 * request arrived, so a client that wrote through another node reads its write here. Writes need no wait: their
 * answer comes after this node applied them.
 */
final class ReadConsistencyFilter implements InteractionFilter {

    private final ClusterNode node;

    ReadConsistencyFilter(ClusterNode node) {
        this.node = node;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route, Next next) {
        if ("GET".equals(request.method()) || "HEAD".equals(request.method())) {
            node.catchUp();
        }
        return next.handle(request, route);
    }
}
