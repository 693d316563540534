package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FHIR API independent of HTTP: routes a {@link FhirRequest} to the interaction or operation registered for it.
 * What is registered here is also what the CapabilityStatement declares, so the two cannot drift apart.
 */
public final class FhirApi {

    private final Map<InteractionKind, Interaction> interactions;
    private final List<Operation> operations;
    private final InteractionFilter filter;
    private final MemoryBudget memory;

    private FhirApi(Map<InteractionKind, Interaction> interactions, List<Operation> operations,
            InteractionFilter filter, MemoryBudget memory) {
        this.interactions = interactions;
        this.operations = operations;
        this.filter = filter;
        this.memory = memory;
    }

    public static Builder builder() {
        return new Builder();
    }

    public FhirResponse handle(FhirRequest request) {
        try (MemoryBudget.Reservation reservation = memory.open()) {
            return handle(request, reservation);
        }
    }

    /**
     * Handles a request within {@code reservation}, which may already hold memory for its body (reserved from its
     * Content-Length while it was read): it is grown to what handling this body needs.
     */
    public FhirResponse handle(FhirRequest request, MemoryBudget.Reservation reservation) {
        Route route = Router.route(request.method(), request.path());
        if (request.hasBody()) {
            reservation.ensure(request.body().length, memoryPerBodyByte(request, route));
        }
        return handle(request, route);
    }

    private int memoryPerBodyByte(FhirRequest request, Route route) {
        Interaction interaction = route.kind() == InteractionKind.OPERATION ? null : interactions.get(route.kind());
        return interaction == null ? MemoryBudget.COST_FACTOR : interaction.memoryPerBodyByte(request);
    }

    /** The heap that requests with large bodies may take together. */
    public MemoryBudget memory() {
        return memory;
    }

    /** Runs one interaction through the filter (authorization); Bundle entries come here one by one. */
    public FhirResponse handle(FhirRequest request, Route route) {
        return filter.handle(request, route, this::dispatch);
    }

    /** The filter writes that bypass {@link #handle} (transaction entries) must pass; see {@link InteractionFilter}. */
    public InteractionFilter filter() {
        return filter;
    }

    private FhirResponse dispatch(FhirRequest request, Route route) {
        if (route.kind() == InteractionKind.OPERATION) {
            return operation(route).handle(request, route);
        }
        Interaction interaction = interactions.get(route.kind());
        if (interaction == null) {
            throw new FhirException(501, IssueType.NOT_SUPPORTED, "this server does not support "
                    + route.kind().name().toLowerCase().replace('_', '-') + " (" + request.method() + " /"
                    + request.path() + ")");
        }
        return interaction.handle(request, route);
    }

    /** Whether the route is an operation that reads its body as a stream (see {@link Operation#streamsBody()}). */
    public boolean streamsBody(Route route) {
        if (route.kind() != InteractionKind.OPERATION) {
            return false;
        }
        try {
            return operation(route).streamsBody();
        } catch (FhirException e) {
            return false;
        }
    }

    private Operation operation(Route route) {
        String name = route.operation().orElseThrow();
        Operation.Level level = route.id().isPresent() ? Operation.Level.INSTANCE
                : route.type().isPresent() ? Operation.Level.TYPE : Operation.Level.SYSTEM;
        for (Operation op : operations) {
            if (op.name().equals(name) && op.levels().contains(level)
                    && (route.type().isEmpty() || op.types().isEmpty() || op.types().contains(route.requireType()))) {
                return op;
            }
        }
        throw new FhirException(404, IssueType.NOT_SUPPORTED, "the operation $" + name + " is not supported "
                + switch (level) {
                    case SYSTEM -> "at system level";
                    case TYPE -> "on " + route.requireType();
                    case INSTANCE -> "on a " + route.requireType() + " instance";
                });
    }

    public Set<InteractionKind> supportedInteractions() {
        return Collections.unmodifiableSet(interactions.keySet());
    }

    public List<Operation> operations() {
        return Collections.unmodifiableList(operations);
    }

    public static final class Builder {
        private final Map<InteractionKind, Interaction> interactions = new EnumMap<>(InteractionKind.class);
        private final List<Operation> operations = new ArrayList<>();
        private InteractionFilter filter = InteractionFilter.NONE;
        private MemoryBudget memory;

        public Builder interaction(InteractionKind kind, Interaction interaction) {
            interactions.put(kind, interaction);
            return this;
        }

        public Builder operation(Operation operation) {
            operations.add(operation);
            return this;
        }

        /** Every interaction and operation runs through this filter (default: none). */
        public Builder filter(InteractionFilter filter) {
            this.filter = filter;
            return this;
        }

        /** The heap requests with large bodies may take together (default: {@link MemoryBudget#ofHeap()}). */
        public Builder memoryBudget(MemoryBudget memory) {
            this.memory = memory;
            return this;
        }

        public FhirApi build() {
            return new FhirApi(new EnumMap<>(interactions), List.copyOf(operations), filter,
                    memory == null ? MemoryBudget.ofHeap() : memory);
        }
    }
}
