package dev.fhirbolt.app;

import dev.fhirbolt.cluster.ClusterNode;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Route;
import java.util.Optional;

/**
 * Reading your writes in a cluster. Every answer carries {@value #POSITION_HEADER}: the log position this node had
 * applied when it answered (for a write, at or after the write's own). A read or search that sends that header back,
 * to any node, waits until that node has applied the position, and asks the log nothing. A read without it waits, with
 * {@code read-consistency=strong}, until this node has applied everything the log held when the request arrived (one
 * look-up of the log's end); with {@code eventual} it reads what this node has applied. Writes need no wait: their
 * answer comes after this node applied them.
 */
final class ReadConsistencyFilter implements InteractionFilter {

    /** The read-your-writes position, in answers and in requests. */
    static final String POSITION_HEADER = "X-Fhirbolt-Position";

    private final ClusterNode node;
    private final boolean strong;

    ReadConsistencyFilter(ClusterNode node, boolean strong) {
        this.node = node;
        this.strong = strong;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route, Next next) {
        if (isRead(request, route)) {
            Optional<Long> position = position(request);
            if (position.isPresent()) {
                node.catchUpTo(position.get());
            } else if (strong) {
                node.catchUp();
            }
        }
        FhirResponse response = next.handle(request, route);
        return response.header(POSITION_HEADER, Long.toString(node.appliedPosition()));
    }

    private static boolean isRead(FhirRequest request, Route route) {
        return "GET".equals(request.method()) || "HEAD".equals(request.method())
                || route.kind() == InteractionKind.SEARCH_TYPE || route.kind() == InteractionKind.SEARCH_SYSTEM
                || route.kind() == InteractionKind.SEARCH_COMPARTMENT;
    }

    private static Optional<Long> position(FhirRequest request) {
        Optional<String> given = request.header(POSITION_HEADER).map(String::trim);
        if (given.isEmpty() || given.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            long position = Long.parseLong(given.get());
            if (position >= -1) {
                return Optional.of(position);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new FhirException(400, IssueType.VALUE, POSITION_HEADER + " must be a log position (a whole number"
                + " from -1, as an earlier answer gave it), not '" + given.get() + "'");
    }
}
