package dev.fhirbolt.subscriptions.channel;

import dev.fhirbolt.subscriptions.SubscriptionSpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * websocket: the clients bound to a subscription ({@link WebSocketEndpoint}) get {@code ping <id>} for each R4
 * notification, or the notification Bundle's JSON for a topic-based one. With no client bound, nothing is delivered
 * and the worker waits (delivery resumes, from its cursor, when a client binds).
 */
public final class WebSocketChannel implements Channel {

    /** A bound client: sends one text frame, waiting for it to be written. */
    public interface Client {
        boolean sendText(String text, long timeout, TimeUnit unit);
    }

    private final Map<String, Set<Client>> bound = new ConcurrentHashMap<>();
    private volatile Consumer<String> onBind = id -> {
    };

    /** Called with the subscription id each time a client binds (wakes its worker). */
    public void onBind(Consumer<String> listener) {
        this.onBind = listener;
    }

    public void bind(String subscriptionId, Client client) {
        bound.computeIfAbsent(subscriptionId, k -> ConcurrentHashMap.newKeySet()).add(client);
        onBind.accept(subscriptionId);
    }

    public void unbind(Client client) {
        bound.values().forEach(set -> set.remove(client));
    }

    public boolean hasClients(String subscriptionId) {
        Set<Client> clients = bound.get(subscriptionId);
        return clients != null && !clients.isEmpty();
    }

    @Override
    public void send(SubscriptionSpec spec, Message message) throws DeliveryException {
        Set<Client> clients = bound.get(spec.id());
        if (clients == null || clients.isEmpty()) {
            throw new DeliveryException("no websocket client is bound to Subscription/" + spec.id(), false);
        }
        String text = message.bundle() ? new String(message.body().orElseThrow(), StandardCharsets.UTF_8)
                : "ping " + spec.id();
        int sent = 0;
        for (Client c : clients) {
            if (c.sendText(text, spec.timeoutSeconds(), TimeUnit.SECONDS)) {
                sent++;
            } else {
                clients.remove(c);
            }
        }
        if (sent == 0) {
            throw new DeliveryException("no websocket client bound to Subscription/" + spec.id()
                    + " took the notification", false);
        }
    }
}
