package dev.fhirbolt.app.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The loader's request body: the caller's bytes in slices, as the client asks for them, without copies. */
class WrappingPublisherTest {

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Collects what a publisher hands out, asking for {@code perRequest} slices at a time from inside onNext. */
    private static final class Collector implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        final long perRequest;
        Flow.Subscription subscription;
        boolean completed;
        Throwable error;
        int outstanding;

        Collector(long perRequest) {
            this.perRequest = perRequest;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            outstanding += (int) Math.min(perRequest, 1_000_000);
            s.request(perRequest);
        }

        @Override
        public void onNext(ByteBuffer item) {
            outstanding--;
            assertTrue(outstanding >= 0, "more slices than requested");
            sizes.add(item.remaining());
            byte[] b = new byte[item.remaining()];
            item.get(b);
            bytes.writeBytes(b);
            if (outstanding == 0) {
                outstanding += (int) perRequest;
                subscription.request(perRequest); // re-entrant: the publisher must not recurse or hand out more
            }
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {
            completed = true;
        }
    }

    @Test
    void handsOutTheWholeBodyInSlicesOneRequestAtATime() {
        byte[] body = random(3 * WrappingPublisher.SLICE + 17);
        WrappingPublisher publisher = new WrappingPublisher(body);
        assertEquals(body.length, publisher.contentLength());
        Collector one = new Collector(1);
        publisher.subscribe(one);
        assertTrue(one.completed);
        assertArrayEquals(body, one.bytes.toByteArray());
        assertEquals(List.of(WrappingPublisher.SLICE, WrappingPublisher.SLICE, WrappingPublisher.SLICE, 17), one.sizes);

        Collector all = new Collector(Long.MAX_VALUE); // a second send (a retry) starts from the beginning
        publisher.subscribe(all);
        assertTrue(all.completed);
        assertArrayEquals(body, all.bytes.toByteArray());
    }

    @Test
    void anEmptyBodyCompletesAndABadRequestFails() {
        Collector empty = new Collector(1);
        new WrappingPublisher(new byte[0]).subscribe(empty);
        assertTrue(empty.completed);
        assertEquals(0, empty.bytes.size());

        Collector bad = new Collector(0);
        new WrappingPublisher(random(10)).subscribe(bad);
        assertInstanceOf(IllegalArgumentException.class, bad.error);
        assertEquals(0, bad.bytes.size());
    }

    @Test
    void aServerReceivesExactlyTheBytes() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] got = exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, got.length);
            exchange.getResponseBody().write(got);
            exchange.close();
        });
        server.start();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int size : new int[] {0, 1, WrappingPublisher.SLICE, 5 * 1024 * 1024 + 3}) {
                byte[] body = random(size);
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                        .POST(new WrappingPublisher(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, response.statusCode());
                assertArrayEquals(body, response.body(), "size " + size);
            }
        } finally {
            server.stop(0);
        }
    }
}
