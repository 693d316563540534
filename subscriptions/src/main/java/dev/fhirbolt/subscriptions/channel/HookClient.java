package dev.fhirbolt.subscriptions.channel;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * HTTP/1.1 calls made on the calling thread with blocking sockets, over keep-alive connections pooled per
 * {@code scheme://host:port}. A subscription's worker makes one call at a time and waits for its answer, so the call
 * itself is a write and a read on that thread: no selector, no hand-off to a pool thread and back (Jetty's client
 * cost the delivery twice as much CPU per call; {@code bench/subscriptions/ClientCost.java}). The sockets are
 * interruptible channels: interrupting the caller (a worker being stopped) closes the connection and ends the call.
 * Every call is bounded by its timeout (connect, TLS handshake, writing and reading the whole answer). The answer's
 * body is read and dropped.
 */
final class HookClient implements AutoCloseable {

    /** The outcome of a call: the status code. */
    record Answer(int status) {
    }

    private static final int CONNECT_MILLIS = 5000;
    private static final int MAX_IDLE_PER_ORIGIN = 32;
    private static final long IDLE_NANOS = 30_000_000_000L;

    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Makes one call; {@code headers} are "Name: value" lines already checked. A pooled connection the other side
     * closed meanwhile is replaced and the call made again on a new one (only when nothing of an answer came).
     */
    Answer call(String method, URI uri, List<String> headers, String contentType, byte[] body, long timeoutMillis)
            throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String origin = origin(uri);
        byte[] request = request(method, uri, headers, contentType, body);
        while (true) {
            Connection c = pooled(origin);
            boolean reused = c != null;
            if (c == null) {
                c = Connection.open(uri, deadline);
            }
            try {
                Answer a = c.exchange(request, deadline, reused);
                if (c.reusable && !closed) {
                    release(origin, c);
                } else {
                    c.close();
                }
                return a;
            } catch (StaleConnection e) {
                c.close(); // the other side closed an idle connection: again, on a new one
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
        }
    }

    private Connection pooled(String origin) {
        ConcurrentLinkedDeque<Connection> q = idle.get(origin);
        Connection c;
        while (q != null && (c = q.pollFirst()) != null) {
            if (System.nanoTime() - c.idleSince < IDLE_NANOS && c.open()) {
                return c;
            }
            c.close();
        }
        return null;
    }

    private void release(String origin, Connection c) {
        ConcurrentLinkedDeque<Connection> q = idle.computeIfAbsent(origin, k -> new ConcurrentLinkedDeque<>());
        c.idleSince = System.nanoTime();
        if (q.size() >= MAX_IDLE_PER_ORIGIN) {
            c.close();
        } else {
            q.addFirst(c);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedDeque<Connection> q : idle.values()) {
            Connection c;
            while ((c = q.pollFirst()) != null) {
                c.close();
            }
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port(uri);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static byte[] request(String method, URI uri, List<String> headers, String contentType, byte[] body) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        StringBuilder head = new StringBuilder(160 + 40 * headers.size()).append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            head.append('?').append(uri.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost()); // an IPv6 literal keeps its brackets
        if (uri.getPort() >= 0) {
            head.append(':').append(uri.getPort());
        }
        head.append("\r\n");
        if (body != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return h;
        }
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** A pooled connection went away while idle: nothing was answered, the call may be made again. */
    private static final class StaleConnection extends IOException {
        StaleConnection(Throwable cause) {
            super(cause);
        }
    }

    /** One connection: a blocking socket (TLS over it for https) and its buffered input. */
    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] line = new byte[8192];
        boolean reusable;
        long idleSince;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
        }

        static Connection open(URI uri, long deadline) throws IOException {
            SocketChannel channel = SocketChannel.open(); // interruptible: a stopped worker's call ends at once
            Socket socket = channel.socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(uri.getHost(), port(uri)),
                        (int) Math.max(1, Math.min(CONNECT_MILLIS, remaining(deadline))));
                if ("https".equalsIgnoreCase(uri.getScheme())) {
                    SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                            .createSocket(socket, uri.getHost(), port(uri), true);
                    SSLParameters p = tls.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(p);
                    tls.setSoTimeout((int) remaining(deadline));
                    tls.startHandshake();
                    socket = tls;
                }
                return new Connection(socket);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }

        boolean open() {
            return !socket.isClosed() && !socket.isInputShutdown();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        Answer exchange(byte[] request, long deadline, boolean reused) throws IOException {
            reusable = false;
            boolean answered = false;
            try {
                socket.setSoTimeout((int) remaining(deadline));
                out.write(request);
                out.flush();
                String status = readLine(deadline);
                if (status == null) {
                    throw new EOFException("the connection was closed without an answer");
                }
                answered = true;
                if (!status.startsWith("HTTP/1.") || status.length() < 12) {
                    throw new IOException("not an HTTP/1.x answer: " + status);
                }
                int code = Integer.parseInt(status.substring(9, 12));
                boolean keepAlive = status.startsWith("HTTP/1.1");
                long length = -1;
                boolean chunked = false;
                for (String h = readLine(deadline); h != null && !h.isEmpty(); h = readLine(deadline)) {
                    int colon = h.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                    String value = h.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
                    switch (name) {
                        case "content-length" -> length = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.endsWith("chunked");
                        case "connection" -> keepAlive = value.contains("keep-alive")
                                || keepAlive && !value.contains("close");
                        default -> { }
                    }
                }
                if (code / 100 == 1 || code == 204 || code == 304) {
                    length = 0;
                    chunked = false;
                }
                if (chunked) {
                    skipChunks(deadline);
                } else if (length >= 0) {
                    skip(length, deadline);
                } else {
                    keepAlive = false; // the body ends when the connection does: not read
                }
                reusable = keepAlive;
                return new Answer(code);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no answer within the timeout");
            } catch (ClosedByInterruptException | InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (reused && !answered) {
                    throw new StaleConnection(e);
                }
                throw e;
            } catch (NumberFormatException e) {
                throw new IOException("a malformed HTTP answer (" + e.getMessage() + ")");
            }
        }

        /** A line of the head (ISO-8859-1, without CRLF); null at the end of the stream before any byte. */
        private String readLine(long deadline) throws IOException {
            int n = 0;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (n == 0) {
                        return null;
                    }
                    throw new EOFException("the answer ended inside its head");
                }
                if (b == '\n') {
                    int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                    return new String(line, 0, end, StandardCharsets.ISO_8859_1);
                }
                if (n == line.length) {
                    throw new IOException("an answer's header line is longer than " + line.length + " bytes");
                }
                line[n++] = (byte) b;
                if ((n & 1023) == 0) {
                    socket.setSoTimeout((int) remaining(deadline));
                }
            }
        }

        private void skip(long length, long deadline) throws IOException {
            while (length > 0) {
                socket.setSoTimeout((int) remaining(deadline));
                long skipped = in.skip(length);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("the answer's body ended early");
                    }
                    skipped = 1;
                }
                length -= skipped;
            }
        }

        private void skipChunks(long deadline) throws IOException {
            while (true) {
                String size = readLine(deadline);
                if (size == null) {
                    throw new EOFException("the answer's chunked body ended early");
                }
                int semi = size.indexOf(';');
                long n = Long.parseLong((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
                if (n == 0) {
                    for (String t = readLine(deadline); t != null && !t.isEmpty(); t = readLine(deadline)) {
                        // trailers: dropped
                    }
                    return;
                }
                skip(n, deadline);
                readLine(deadline); // the CRLF after the chunk
            }
        }

        private static long remaining(long deadline) throws SocketTimeoutException {
            long ms = (deadline - System.nanoTime()) / 1_000_000L;
            if (ms <= 0) {
                throw new SocketTimeoutException("no answer within the timeout");
            }
            return ms;
        }
    }
}
