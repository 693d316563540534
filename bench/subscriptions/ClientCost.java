import com.sun.net.httpserver.HttpServer;
import java.io.*;
import java.lang.management.ManagementFactory;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Client-side CPU per rest-hook call, the way the server delivers: one producer (the dispatcher) hands each call to one
 * of 100 workers through its queue (at most 8 under way), and the worker makes the call and waits for the answer.
 * Compared: Jetty's async HttpClient waited on from virtual threads (the delivery before 2026-12-07 16:30), and a
 * blocking HTTP/1.1 exchange on the worker's own socket from virtual threads and from platform threads (what
 * the hand-written HookClient and the platform-thread workers did from 16:30), and HookClient as it is now (Apache
 * HttpClient 5 classic, its minimal client, on platform threads, called through reflection: the class is
 * package-private; {@code hookclient} for the HttpClient 5 HookClient of 2026-12-07 (main 2635905, whose call returns an
 * Answer), {@code hookconn} for the HookClient since (each worker's own HttpCore 5 connection, call returns the status),
 * its watchdog thread counted with the client). Prints the client's CPU and the heap it allocated per call (the latter steady on a busy machine). The receiver
 * runs in a separate process, so only the client side is counted.
 * Usage: java -cp app/target/fhirbolt.jar bench/subscriptions/ClientCost.java serve PORT   (the receiver), then
 *        java -cp app/target/fhirbolt.jar:$JETTY_CLIENT bench/subscriptions/ClientCost.java jetty|raw-virtual|raw-platform|hookclient|hookconn PORT N
 * where JETTY_CLIENT lists the jars of jetty-client, jetty-alpn-client, jetty-compression-common and
 * jetty-compression-gzip 12.1.14 from ~/.m2 (the server no longer bundles Jetty's client). To measure the hand-written
 * HookClient of 16:30, compile that version of the class into a directory put first on the class path.
 */
public class ClientCost {
    interface Sender { void send(int sub) throws Exception; }
    static byte[] body = ("{\"resourceType\":\"Observation\",\"id\":\"x\",\"meta\":{\"versionId\":\"1\",\"lastUpdated\":"
                + "\"2026-12-07T09:00:00.000Z\"},\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                + "\"http://bench\",\"code\":\"c1\"}]}}").getBytes();
    public static void main(String[] a) throws Exception {
        if (a[0].equals("serve")) {
            HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(a[1])), 0);
            hook.createContext("/", ex -> { ex.getRequestBody().readAllBytes(); ex.sendResponseHeaders(200, -1); ex.close(); });
            hook.setExecutor(Executors.newFixedThreadPool(8));
            hook.start();
            return;
        }
        int port = Integer.parseInt(a[1]); int n = Integer.parseInt(a[2]); String mode = a[0];
        URI url = URI.create("http://127.0.0.1:" + port + "/hook/Observation/x");
        Sender s;
        if (mode.equals("jetty")) {
            var threads = new org.eclipse.jetty.util.thread.QueuedThreadPool(16, 2);
            org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
            jetty.setExecutor(threads); jetty.setMaxConnectionsPerDestination(32); jetty.start();
            s = sub -> {
                CompletableFuture<org.eclipse.jetty.client.Result> done = new CompletableFuture<>();
                jetty.newRequest(url).method("PUT").timeout(10, TimeUnit.SECONDS)
                        .body(new org.eclipse.jetty.client.BytesRequestContent("application/fhir+json", body))
                        .send(done::complete);
                if (done.get(11, TimeUnit.SECONDS).isFailed()) throw new IllegalStateException(done.get().getFailure());
            };
        } else if (mode.equals("hookclient")) {
            Class<?> type = Class.forName("dev.fhirbolt.subscriptions.channel.HookClient");
            var make = type.getDeclaredConstructor(); make.setAccessible(true);
            Object client = make.newInstance();
            var call = type.getDeclaredMethod("call", String.class, URI.class, java.util.List.class, String.class, byte[].class, long.class);
            call.setAccessible(true);
            var status = call.getReturnType().getDeclaredMethod("status"); status.setAccessible(true);
            s = sub -> {
                Object answer = call.invoke(client, "PUT", url, java.util.List.of(), "application/fhir+json", body, 10_000L);
                if ((int) status.invoke(answer) != 200) throw new IllegalStateException("HTTP " + status.invoke(answer));
            };
        } else if (mode.equals("hookconn")) {
            Class<?> type = Class.forName("dev.fhirbolt.subscriptions.channel.HookClient");
            var make = type.getDeclaredConstructor(); make.setAccessible(true);
            Object client = make.newInstance();
            var call = type.getDeclaredMethod("call", String.class, URI.class, java.util.List.class, String.class, byte[].class, long.class);
            call.setAccessible(true);
            s = sub -> {
                int status = (int) call.invoke(client, "PUT", url, java.util.List.of(), "application/fhir+json", body, 10_000L);
                if (status != 200) throw new IllegalStateException("HTTP " + status);
            };
        } else {
            Socket[] socks = new Socket[100]; InputStream[] ins = new InputStream[100]; OutputStream[] outs = new OutputStream[100];
            s = sub -> {
                if (socks[sub] == null) { socks[sub] = new Socket(); socks[sub].connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    socks[sub].setTcpNoDelay(true); socks[sub].setSoTimeout(10000);
                    ins[sub] = new BufferedInputStream(socks[sub].getInputStream()); outs[sub] = socks[sub].getOutputStream(); }
                String head = "PUT /hook/Observation/x HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/fhir+json\r\nContent-Length: " + body.length + "\r\n\r\n";
                byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
                byte[] all = new byte[h.length + body.length]; System.arraycopy(h,0,all,0,h.length); System.arraycopy(body,0,all,h.length,body.length);
                outs[sub].write(all); outs[sub].flush();
                // read status + headers until blank line
                InputStream in = ins[sub]; int state = 0; long len = 0; StringBuilder line = new StringBuilder();
                while (true) { int c = in.read(); if (c < 0) throw new EOFException();
                    if (c == '\n') { String l = line.toString().trim(); line.setLength(0); if (l.isEmpty()) break;
                        if (l.regionMatches(true,0,"content-length:",0,15)) len = Long.parseLong(l.substring(15).trim()); }
                    else line.append((char) c); }
                in.skipNBytes(len);
            };
        }
        boolean platform = mode.equals("raw-platform") || mode.startsWith("hook");
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // the workers live through both rounds (as a server's do), so a client that keeps a connection per worker
        // opens its connections in the warm-up round, not in the measured one
        ArrayBlockingQueue<Integer>[] qs = new ArrayBlockingQueue[100];
        Semaphore inflight = new Semaphore(8); AtomicReference<CountDownLatch> all = new AtomicReference<>();
        for (int i = 0; i < 100; i++) { int sub = i; qs[i] = new ArrayBlockingQueue<>(1024);
            Runnable r = () -> { try { while (true) { Integer x = qs[sub].poll(1000, TimeUnit.MILLISECONDS); if (x == null) continue; if (x < 0) return;
                s.send(sub); inflight.release(); all.get().countDown(); } } catch (Exception e) { e.printStackTrace(); } };
            if (platform) Thread.ofPlatform().daemon().start(r); else Thread.ofVirtual().start(r); }
        var tmx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            all.set(new CountDownLatch(n));
            long alloc = tmx.getTotalThreadAllocatedBytes(); // heap allocated by every thread: steady on a busy machine
            long cpu = os.getProcessCpuTime(); long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) { inflight.acquire(); qs[i % 100].put(i); }
            all.get().await();
            long used = os.getProcessCpuTime() - cpu; double secs = (System.nanoTime() - t0) / 1e9;
            long allocated = tmx.getTotalThreadAllocatedBytes() - alloc;
            if (round == 1) System.out.printf("%-13s %.0f µs client CPU per call, %.0f calls/s, %d calls, %.0f bytes allocated per call%n", mode, used / 1000.0 / n, n / secs, n, allocated / (double) n);
        }
        System.exit(0);
    }
}
