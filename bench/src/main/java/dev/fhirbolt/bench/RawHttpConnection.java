package dev.fhirbolt.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One blocking HTTP/1.1 keep-alive connection that does just what the load needs: write a request, read the status,
 * the {@code Location} header and the body (Content-Length or chunked), and throw the body away. It costs far less
 * CPU per request than a general client, which matters when the load generator shares 2 cores with the server.
 * Used by one thread at a time; reconnects when the server closes the connection.
 */
final class RawHttpConnection implements AutoCloseable {

    /** Status and Location of one response. */
    record Response(int status, String location) {
    }

    private final String host;
    private final int port;
    private final String pathPrefix;
    private final String hostHeader;
    private final int timeoutMillis;
    private final byte[] buf = new byte[64 * 1024];
    private int start;
    private int end;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawHttpConnection(String baseUrl, int timeoutMillis) {
        URI uri = URI.create(baseUrl);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("the raw transport speaks plain http only: " + baseUrl);
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? 80 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path : path + "/";
        this.hostHeader = host + ":" + port;
        this.timeoutMillis = timeoutMillis;
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(host, port), timeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        start = 0;
        end = 0;
    }

    byte[] requestBytes(Call call) {
        StringBuilder sb = new StringBuilder(call.bearer() == null ? 160 : 160 + call.bearer().length());
        sb.append(call.method()).append(' ').append(pathPrefix).append(call.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("Accept: application/fhir+json\r\n");
        if (call.bearer() != null) {
            sb.append("Authorization: Bearer ").append(call.bearer()).append("\r\n");
        }
        if (call.header() != null) {
            sb.append(call.header()).append("\r\n");
        }
        byte[] body = call.body();
        if (body != null) {
            sb.append("Content-Type: application/fhir+json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return head;
        }
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Sends one request and reads the whole response; retries once on a fresh connection if the old one died. */
    Response exchange(Call call) throws IOException {
        byte[] request = requestBytes(call);
        boolean fresh = socket == null;
        if (fresh) {
            connect();
        }
        try {
            out.write(request);
            return readResponse(call.method().equals("HEAD"));
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            connect(); // a kept-alive connection the server had closed: one retry on a new one
            out.write(request);
            return readResponse(call.method().equals("HEAD"));
        }
    }

    private int fill() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        } else if (end == buf.length) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        end += n;
        return n;
    }

    /** Reads up to and including CRLF; returns the line without it. */
    private String line() throws IOException {
        while (true) {
            for (int i = start; i < end - 1; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String s = new String(buf, start, i - start, StandardCharsets.ISO_8859_1);
                    start = i + 2;
                    return s;
                }
            }
            if (start == 0 && end == buf.length) {
                throw new IOException("response header line longer than " + buf.length + " bytes");
            }
            fill();
        }
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (start == end) {
                fill();
            }
            int take = (int) Math.min(n, end - start);
            start += take;
            n -= take;
        }
    }

    private Response readResponse(boolean head) throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        String location = null;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = h.substring(0, colon);
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
            } else if (name.equalsIgnoreCase("Location")) {
                location = value;
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        boolean noBody = head || status == 204 || status == 304 || (status >= 100 && status < 200);
        if (!noBody) {
            if (chunked) {
                for (long size = chunkSize(line()); size > 0; size = chunkSize(line())) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are ignored
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                close = true; // body runs to the end of the connection
                try {
                    while (true) {
                        fill();
                        start = end;
                    }
                } catch (EOFException endOfBody) {
                    // expected
                }
            }
        }
        if (close) {
            close();
        }
        return new Response(status, location);
    }

    private static long chunkSize(String line) {
        int semi = line.indexOf(';');
        return Long.parseLong((semi >= 0 ? line.substring(0, semi) : line).trim(), 16);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }
}
