package dev.fhirbolt.app;

import dev.fhirbolt.app.metrics.ServerMetrics;
import dev.fhirbolt.authz.Access;
import dev.fhirbolt.authz.AuthorizationFilter;
import dev.fhirbolt.authz.SecurityMode;
import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.Writes;
import dev.fhirbolt.subscriptions.Audience;
import dev.fhirbolt.subscriptions.BindingTokenOperation;
import dev.fhirbolt.subscriptions.BindingTokens;
import dev.fhirbolt.subscriptions.DeliveryLease;
import dev.fhirbolt.subscriptions.EventsOperation;
import dev.fhirbolt.subscriptions.StatusOperation;
import dev.fhirbolt.subscriptions.SubscriptionCapabilities;
import dev.fhirbolt.subscriptions.SubscriptionGate;
import dev.fhirbolt.subscriptions.SubscriptionService;
import dev.fhirbolt.subscriptions.SubscriptionSettings;
import dev.fhirbolt.subscriptions.WebSocketEndpoint;
import dev.fhirbolt.storage.Leases;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The subscriptions module wired into the server: the service following the change feed, the gate checking
 * Subscription writes (recording the caller's read grants from its SMART access), {@code $status},
 * {@code $get-ws-binding-token} and the websocket endpoint. With {@code subscriptions=off} Subscriptions are still
 * checked, but nothing is delivered.
 */
final class Subscriptions implements AutoCloseable {

    private final SubscriptionService service;
    /**
     * The service delivering to this node's websocket clients: in a cluster every node delivers to its own (from its
     * own applied log), whoever holds the delivery lease; else the one service.
     */
    private final SubscriptionService websockets;
    /** What ends this node's delivery: the cluster's delivery lease, or nothing more than the service's close. */
    private final AutoCloseable delivery;
    private final boolean secured;
    private final BindingTokens tokens = new BindingTokens(Clock.systemUTC());
    private final Supplier<String> baseUrl;

    private Subscriptions(SubscriptionService service, SubscriptionService websockets, AutoCloseable delivery,
            boolean secured, Supplier<String> baseUrl) {
        this.service = service;
        this.websockets = websockets;
        this.delivery = delivery;
        this.secured = secured;
        this.baseUrl = baseUrl;
    }

    static Subscriptions start(ServerConfig config, Backend backend, Writes writes, ServerMetrics metrics,
            ServerConnector connector) {
        boolean secured = config.security() == SecurityMode.SMART;
        Supplier<String> baseUrl = () -> config.baseUrl().orElseGet(() -> "http://"
                + ("0.0.0.0".equals(config.host()) ? "localhost" : config.host()) + ":" + connector.getLocalPort());
        boolean clustered = backend.cluster().isPresent();
        SubscriptionService service = new SubscriptionService(backend.store(), backend.search(), writes,
                backend.sharedKv(), baseUrl, secured, metrics.subscriptions(), SubscriptionSettings.DEFAULTS,
                clustered ? SubscriptionService.Channels.ALL_BUT_WEBSOCKET : SubscriptionService.Channels.ALL);
        SubscriptionService websockets = !clustered ? service : new SubscriptionService(backend.store(),
                backend.search(), writes, backend.sharedKv(), baseUrl, secured, metrics.subscriptions(),
                SubscriptionSettings.DEFAULTS, SubscriptionService.Channels.WEBSOCKET_ONLY);
        AutoCloseable delivery = () -> { };
        if (config.subscriptions() && clustered) {
            websockets.start();
            ClusterConfig cluster = config.cluster().orElseThrow();
            DeliveryLease lease = new DeliveryLease(new Leases(backend.cluster().get().replicated(backend.kv()),
                    DeliveryLease.LEASES, cluster.nodeId(), cluster.subscriptionTakeover(), System::nanoTime), service,
                    cluster.subscriptionTakeover(), System::nanoTime);
            lease.start();
            delivery = lease;
        } else if (config.subscriptions()) {
            service.start();
        }
        return new Subscriptions(service, websockets, delivery, secured, baseUrl);
    }

    boolean delivering() {
        return service.delivering();
    }

    InteractionFilter gate() {
        return new SubscriptionGate(service.reader(), this::audience);
    }

    CapabilityContributor capabilities() {
        return new SubscriptionCapabilities();
    }

    List<Operation> operations() {
        return List.of(new StatusOperation(service), new BindingTokenOperation(service, tokens),
                new EventsOperation(service, this::audience));
    }

    Handler websocketHandler(Server server) {
        return new WebSocketEndpoint(websockets, tokens, secured, baseUrl).handler(server);
    }

    /** What the caller may read, from the access its token was given; empty when security is off. */
    private Optional<Audience> audience(FhirRequest request) {
        if (!secured) {
            return Optional.empty();
        }
        Access access = request.attribute(AuthorizationFilter.ACCESS, Access.class).orElse(null);
        if (access == null) {
            return Optional.of(Audience.NOTHING);
        }
        return Optional.of(new Audience(access.readReach().stream()
                .map(r -> new Audience.Reach(r.type(), r.compartment())).toList()));
    }

    @Override
    public void close() {
        try {
            delivery.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        service.close();
        if (websockets != service) {
            websockets.close();
        }
    }
}
