package dev.fhirbolt.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A rest-hook subscriber: a JDK HTTP server on 127.0.0.1 that records every call and answers a set status. */
final class HookReceiver implements AutoCloseable {

    record Call(String method, String path, Map<String, List<String>> headers, String body, long nanos) {
    }

    private final HttpServer server;
    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private volatile int status = 200;

    HookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int answer = status;
            if (answer / 100 == 2) {
                calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        Map.copyOf(exchange.getRequestHeaders()), new String(body, StandardCharsets.UTF_8),
                        System.nanoTime()));
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void answer(int status) {
        this.status = status;
    }

    Call next(Duration timeout) throws InterruptedException {
        return calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for {@code n} calls (null when they do not all come in time). */
    List<Call> take(int n, Duration timeout) throws InterruptedException {
        List<Call> out = new ArrayList<>();
        long until = System.nanoTime() + timeout.toNanos();
        while (out.size() < n) {
            Call c = calls.poll(Math.max(1, (until - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (c == null) {
                return out;
            }
            out.add(c);
        }
        return out;
    }

    List<Call> drain() {
        List<Call> out = new ArrayList<>();
        calls.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
