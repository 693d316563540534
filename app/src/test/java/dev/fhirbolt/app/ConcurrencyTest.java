package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Optimistic locking under contention: nothing is lost and nothing is half-written. */
class ConcurrencyTest {

    @Test
    void fiftyConcurrentIfMatchUpdatesOfOneResource() throws Exception {
        try (TestServer server = TestServer.start()) {
            server.send("PUT", "/Basic/counter", body(0));
            int clients = 50;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<int[]>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                for (int c = 0; c < clients; c++) {
                    results.add(pool.submit((Callable<int[]>) () -> {
                        go.await();
                        int successes = 0;
                        int conflicts = 0;
                        while (successes == 0) {
                            HttpResponse<String> read = server.get("/Basic/counter");
                            String etag = read.headers().firstValue("ETag").orElseThrow();
                            int value = counter(read.body());
                            HttpResponse<String> write = server.send("PUT", "/Basic/counter", body(value + 1),
                                    "If-Match", etag);
                            if (write.statusCode() == 200) {
                                successes++;
                            } else {
                                assertEquals(412, write.statusCode(), write.body());
                                conflicts++;
                            }
                        }
                        return new int[] {successes, conflicts};
                    }));
                }
                go.countDown();
                int conflicts = 0;
                for (Future<int[]> f : results) {
                    conflicts += f.get()[1];
                }
                HttpResponse<String> last = server.get("/Basic/counter");
                assertEquals(clients, counter(last.body()), "every success incremented exactly once");
                assertEquals("W/\"" + (clients + 1) + "\"", last.headers().firstValue("ETag").orElseThrow());
                assertTrue(conflicts > 0, "contention produced 412s");
            }
            HttpResponse<String> history = server.get("/Basic/counter/_history?_count=100");
            Set<Integer> values = new TreeSet<>();
            Matcher m = Pattern.compile("\"valueInteger\":(\\d+)").matcher(history.body());
            while (m.find()) {
                values.add(Integer.parseInt(m.group(1)));
            }
            assertEquals(clients + 1, values.size(), "each version holds a distinct counter value");
        }
    }

    private static String body(int value) {
        return "{\"resourceType\":\"Basic\",\"id\":\"counter\",\"code\":{\"text\":\"counter\"},"
                + "\"extension\":[{\"url\":\"http://example.org/counter\",\"valueInteger\":" + value + "}]}";
    }

    private static int counter(String json) {
        Matcher m = Pattern.compile("\"valueInteger\":(\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return Integer.parseInt(m.group(1));
    }
}
