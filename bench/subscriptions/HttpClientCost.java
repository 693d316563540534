import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * CPU per rest-hook call, client and receiver together in this process: the JDK's HttpClient against Jetty's
 * (what RestHookChannel uses), each sending N small PUTs from 8 virtual threads to a local JDK HTTP receiver, the
 * same receiver as bench/subscriptions.sh. CPU time is what a loaded machine changes least.
 * Usage: java -cp app/target/fhirbolt.jar bench/subscriptions/HttpClientCost.java [N=8000]
 */
public class HttpClientCost {

    interface Sender {
        void send() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        hook.setExecutor(Executors.newFixedThreadPool(8));
        hook.start();
        URI url = URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/hook/Observation/x");
        byte[] body = ("{\"resourceType\":\"Observation\",\"id\":\"x\",\"meta\":{\"versionId\":\"1\",\"lastUpdated\":"
                + "\"2026-12-07T09:00:00.000Z\"},\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://bench\",\"code\":\"c1\"}]}}").getBytes();

        java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
        measure("JDK HttpClient", n, () -> jdk.send(java.net.http.HttpRequest.newBuilder(url)
                .header("Content-Type", "application/fhir+json").timeout(java.time.Duration.ofSeconds(10))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()));

        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
        jetty.setExecutor(new org.eclipse.jetty.util.thread.QueuedThreadPool(16, 2));
        jetty.start();
        measure("Jetty HttpClient", n, () -> {
            CompletableFuture<org.eclipse.jetty.client.Result> done = new CompletableFuture<>();
            jetty.newRequest(url).method("PUT").timeout(10, TimeUnit.SECONDS)
                    .body(new org.eclipse.jetty.client.BytesRequestContent("application/fhir+json", body))
                    .send(done::complete);
            if (done.get().isFailed()) {
                throw new IllegalStateException(done.get().getFailure());
            }
        });
        System.exit(0);
    }

    /** A warm-up round, then a measured one. */
    static void measure(String name, int n, Sender sender) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 2; round++) {
            long cpu = os.getProcessCpuTime();
            try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < 8; t++) {
                    threads.submit(() -> {
                        for (int i = 0; i < n / 8; i++) {
                            sender.send();
                        }
                        return null;
                    });
                }
            }
            if (round == 1) {
                System.out.printf("%-17s %.0f µs CPU per call (client and receiver), %d calls%n", name,
                        (os.getProcessCpuTime() - cpu) / 1000.0 / n, n);
            }
        }
    }
}
