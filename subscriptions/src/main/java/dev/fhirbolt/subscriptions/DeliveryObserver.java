package dev.fhirbolt.subscriptions;

/** Counts what delivery does (metrics); the app reports it to its registry. */
public interface DeliveryObserver {

    /** {@code count} changes queued for a subscription's worker. */
    void queued(int count);

    /** {@code count} changes delivered to a subscriber. */
    void delivered(int count);

    /** One delivery attempt failed (it will be retried). */
    void failed();

    DeliveryObserver NONE = new DeliveryObserver() {
        @Override
        public void queued(int count) {
        }

        @Override
        public void delivered(int count) {
        }

        @Override
        public void failed() {
        }
    };
}
