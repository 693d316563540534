package dev.fhirbolt.subscriptions.channel;

import dev.fhirbolt.subscriptions.SubscriptionSpec;

/** One way of reaching subscribers (rest-hook, websocket): delivers what {@link Message} says, or throws. */
public interface Channel {

    void send(SubscriptionSpec spec, Message message) throws DeliveryException;

    /** Called by a worker on its own thread when it stops: frees what the channel keeps for it (a connection). */
    default void release() {
    }
}
