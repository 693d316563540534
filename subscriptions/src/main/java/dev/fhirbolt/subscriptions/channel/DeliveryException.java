package dev.fhirbolt.subscriptions.channel;

/**
 * A notification that did not arrive. {@code subscriberFault}: the subscriber's endpoint failed (the subscription
 * goes to status error with this message); otherwise there was simply nobody to deliver to yet (a websocket
 * subscription with no client bound), which is retried without an error status.
 */
public final class DeliveryException extends Exception {

    private final boolean subscriberFault;

    public DeliveryException(String message, boolean subscriberFault) {
        super(message);
        this.subscriberFault = subscriberFault;
    }

    public boolean subscriberFault() {
        return subscriberFault;
    }
}
