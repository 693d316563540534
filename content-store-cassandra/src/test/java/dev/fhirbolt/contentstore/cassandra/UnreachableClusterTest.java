package dev.fhirbolt.contentstore.cassandra;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.contentstore.ContentStoreUnavailableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Opening a store fails fast and clearly when no Cassandra answers, whether nothing listens or a peer never replies. */
class UnreachableClusterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** The first session of a JVM loads the driver's classes (seconds on a busy machine): not what is timed here. */
    @BeforeAll
    static void loadTheDriver() throws IOException {
        try {
            CassandraContentStore.open(CassandraSettings.of("127.0.0.1:" + freePort(), "datacenter1")
                    .withRequestTimeout(TIMEOUT)).close();
        } catch (ContentStoreUnavailableException expected) {
            // as intended
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void nothingListening() throws IOException {
        assertFailsWithin(CassandraSettings.of("127.0.0.1:" + freePort(), "datacenter1").withRequestTimeout(TIMEOUT));
    }

    @Test
    void peerThatNeverAnswers() throws IOException {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            assertFailsWithin(CassandraSettings.of("127.0.0.1:" + silent.getLocalPort(), "datacenter1")
                    .withRequestTimeout(TIMEOUT));
            acceptor.interrupt();
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    private static void assertFailsWithin(CassandraSettings settings) {
        long started = System.nanoTime();
        ContentStoreUnavailableException e = assertThrows(ContentStoreUnavailableException.class,
                () -> CassandraContentStore.open(settings).close());
        long took = (System.nanoTime() - started) / 1_000_000;
        assertTrue(took < TIMEOUT.toMillis() * 2 + 3_000, "took " + took + " ms: " + e.getMessage());
        assertTrue(e.getMessage().contains("connect to"), e.getMessage());
    }
}
