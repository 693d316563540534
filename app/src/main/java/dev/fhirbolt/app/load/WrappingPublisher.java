package dev.fhirbolt.app.load;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * A request body that hands the HTTP client slices of the caller's array, wrapped, not copied. The JDK's
 * {@code BodyPublishers.ofByteArray} copies the whole body into freshly allocated 16 KiB buffers each time it is sent
 * (a fifth of the loader's Java samples in a profile of a Synthea load, and the page faults of touching that memory);
 * the loader never changes a body it sends, so there is nothing to protect by copying. Slices are handed out as the
 * client asks for them; each subscription (a retried send) starts from the beginning.
 */
final class WrappingPublisher implements HttpRequest.BodyPublisher {

    static final int SLICE = 64 * 1024;

    private final byte[] body;

    WrappingPublisher(byte[] body) {
        this.body = Objects.requireNonNull(body, "body");
    }

    @Override
    public long contentLength() {
        return body.length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /** One send's subscription: at most as many slices as requested, never two callers emitting at once. */
    private final class Slices implements Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private long demand;
        private int next;
        private boolean emitting;
        private boolean finished;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            synchronized (this) {
                if (finished) {
                    return;
                }
                if (n <= 0) {
                    finished = true;
                } else {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    if (emitting) {
                        return; // the caller up the stack (an onNext that asked for more) goes on emitting
                    }
                    emitting = true;
                }
            }
            if (n <= 0) {
                subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
                return;
            }
            emit();
        }

        private void emit() {
            while (true) {
                ByteBuffer slice;
                synchronized (this) {
                    if (finished) {
                        emitting = false;
                        return;
                    }
                    if (next >= body.length) {
                        finished = true;
                        emitting = false;
                        slice = null;
                    } else if (demand == 0) {
                        emitting = false;
                        return;
                    } else {
                        demand--;
                        int length = Math.min(SLICE, body.length - next);
                        slice = ByteBuffer.wrap(body, next, length).slice();
                        next += length;
                    }
                }
                if (slice == null) {
                    subscriber.onComplete();
                    return;
                }
                subscriber.onNext(slice);
            }
        }

        @Override
        public void cancel() {
            synchronized (this) {
                finished = true;
            }
        }
    }
}
