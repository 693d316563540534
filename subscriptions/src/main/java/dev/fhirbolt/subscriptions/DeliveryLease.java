package dev.fhirbolt.subscriptions;

import dev.fhirbolt.storage.Keyspace;
import dev.fhirbolt.storage.Leases;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In a cluster, exactly one node delivers notifications: the one holding the {@code delivery} lease in the replicated
 * {@code subscription-leases} keyspace ({@link Leases}). Every node with delivery on runs this loop: the holder renews
 * the lease every fifth of the take-over time and delivers while it does; the others take the lease at once when
 * nobody holds it, or when it has not changed for the take-over time (its holder died), and then resume every
 * subscription from its cursor, which are replicated too. A holder that loses the lease, or cannot renew it for half
 * the take-over time (it may be cut off from the log), stops delivering. A node that stops gives the lease up, so
 * another takes it over at its next look.
 */
public final class DeliveryLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLease.class);
    public static final Keyspace LEASES = new Keyspace("subscription-leases");
    static final String KEY = "delivery";

    private final Leases leases;
    private final SubscriptionService service;
    private final Duration takeOver;
    private final LongSupplier nanoTime;
    private volatile boolean closed;
    private long lastRenewed;
    private Thread thread;

    /** {@code leases} must be on {@link #LEASES} with {@code takeOver} as their silence. */
    public DeliveryLease(Leases leases, SubscriptionService service, Duration takeOver, LongSupplier nanoTime) {
        this.leases = leases;
        this.service = service;
        this.takeOver = takeOver;
        this.nanoTime = nanoTime;
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name("subscription-lease").start(this::run);
    }

    private void run() {
        long period = Math.max(1, takeOver.toMillis() / 5);
        while (!closed) {
            try {
                step();
            } catch (RuntimeException e) {
                LOG.warn("subscription delivery lease: {}", e.toString());
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
            fenceIfSilent();
        }
    }

    /** One look at the lease: renew it while held, else try to take it. */
    void step() {
        if (leases.held(KEY)) {
            if (leases.renew(KEY, "delivering")) {
                lastRenewed = nanoTime.getAsLong();
            } else {
                LOG.info("node {}: another node took over subscription delivery", leases.node());
                service.stop();
            }
        } else if (!closed && leases.acquire(KEY, "delivering")) {
            lastRenewed = nanoTime.getAsLong();
            LOG.info("node {} delivers subscription notifications", leases.node());
            service.start();
        }
    }

    /** A holder that could not renew for half the take-over time stops before another node may take over. */
    private void fenceIfSilent() {
        if (leases.held(KEY) && nanoTime.getAsLong() - lastRenewed > takeOver.toNanos() / 2) {
            LOG.warn("node {} could not renew its subscription delivery lease; it stops delivering", leases.node());
            leases.forget(KEY);
            service.stop();
        }
    }

    /** Stops delivering and gives the lease up. */
    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        service.stop();
        try {
            leases.resign(KEY);
        } catch (RuntimeException e) {
            LOG.info("subscription delivery lease not given up ({}); another node takes it over after {} s",
                    e.toString(), takeOver.toSeconds());
        }
    }
}
