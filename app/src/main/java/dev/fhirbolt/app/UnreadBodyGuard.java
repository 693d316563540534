package dev.fhirbolt.app;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Keeps a connection usable when a request is answered before its body has been read to its end: a 401, 403, 413 or
 * 415 decided from the headers alone (no token, not an admin, a declared length over the limit, an unknown
 * Content-Encoding, ...). Jetty closes such a connection after the answer, since the unread bytes are still on it; a
 * client that keeps connections alive may then have sent its next request on a connection being closed ("header
 * parser received no bytes" in the JDK's HttpClient), or still be writing the body when the socket is reset. So, as
 * the answer is about to go out: a body of at most {@link #DRAIN_LIMIT} bytes that arrives within {@link #DRAIN_MILLIS}
 * is read and discarded first (the connection stays open and the client reads the answer as usual); a larger one, a
 * trickling one or one that cannot be read gets {@code Connection: close} on the answer, so the client opens a new
 * connection for its next request. Requests without a body pass untouched.
 */
final class UnreadBodyGuard extends Handler.Wrapper {

    /** The most bytes of a refused request's body read and discarded to keep its connection open. */
    static final long DRAIN_LIMIT = 1024 * 1024;
    /** The longest a refused request's body is waited for before its connection is closed instead. */
    static final long DRAIN_MILLIS = 1000;

    UnreadBodyGuard(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getLength() <= 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return super.handle(request, response, callback);
        }
        Tracked tracked = new Tracked(request);
        Guarded guarded = new Guarded(tracked, response);
        return super.handle(tracked, guarded, new Callback.Nested(callback) {
            @Override
            public void succeeded() {
                guarded.closeIfUnread(); // answered without a write: no blocking drain from a callback
                super.succeeded();
            }
        });
    }

    /** The request, noting when its body's last chunk has been read. */
    private static final class Tracked extends Request.Wrapper {

        private volatile boolean ended;

        Tracked(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = super.read();
            if (chunk != null && chunk.isLast()) {
                ended = true;
            }
            return chunk;
        }

        /**
         * Reads and discards the rest of the body if it is at most {@code limit} bytes and arrives within
         * {@link #DRAIN_MILLIS} (a client trickling its body is not waited for); whether it all was.
         */
        boolean drain(long limit) {
            if (getLength() > limit || getHeaders().contains(HttpHeader.EXPECT)) {
                // a client that waits for 100 Continue has not sent its body: reading would ask it to
                return false;
            }
            long deadline = System.nanoTime() + DRAIN_MILLIS * 1_000_000L;
            long left = limit;
            while (true) {
                Content.Chunk chunk = read();
                if (chunk == null) {
                    CountDownLatch ready = new CountDownLatch(1);
                    demand(ready::countDown);
                    try {
                        long wait = deadline - System.nanoTime();
                        if (wait <= 0 || !ready.await(wait, TimeUnit.NANOSECONDS)) {
                            return false;
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    continue;
                }
                try {
                    if (Content.Chunk.isFailure(chunk)) {
                        return false;
                    }
                    left -= chunk.remaining();
                    if (left < 0) {
                        return false;
                    }
                    if (chunk.isLast()) {
                        return true;
                    }
                } finally {
                    chunk.release();
                }
            }
        }
    }

    /** The response, adding {@code Connection: close} as it commits while the body is unread. */
    private static final class Guarded extends Response.Wrapper {

        private final Tracked request;

        Guarded(Tracked request, Response response) {
            super(request, response);
            this.request = request;
        }

        @Override
        public void write(boolean last, ByteBuffer byteBuffer, Callback callback) {
            if (!request.ended && !isCommitted() && !request.drain(DRAIN_LIMIT)) {
                closeIfUnread();
            }
            super.write(last, byteBuffer, callback);
        }

        void closeIfUnread() {
            if (!request.ended && !isCommitted()) {
                getHeaders().put(HttpHeader.CONNECTION, "close");
            }
        }
    }
}
