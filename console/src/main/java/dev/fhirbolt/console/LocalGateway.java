package dev.fhirbolt.console;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.LocalConnector;

/**
 * A {@link FhirGateway} over Jetty's in-memory {@link LocalConnector}: the request runs through the server's whole
 * handler chain (security, audit, negotiation) without a socket. The browser's public base URL is passed on as
 * {@code X-Forwarded-*} headers, which the connector's forwarded-request customizer applies.
 */
public final class LocalGateway implements FhirGateway {

    private static final long TIMEOUT_SECONDS = 60;
    private final LocalConnector connector;

    public LocalGateway(LocalConnector connector) {
        this.connector = connector;
    }

    @Override
    public Reply exchange(Call call) {
        try {
            ByteBuffer raw = connector.getResponse(ByteBuffer.wrap(request(call)), "HEAD".equals(call.method()),
                    TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (raw == null) {
                throw new ConsoleException(504, "the server did not answer within " + TIMEOUT_SECONDS + " s");
            }
            return RawResponses.parse(raw);
        } catch (ConsoleException e) {
            throw e;
        } catch (Exception e) {
            throw new ConsoleException(502, "the call to " + call.pathAndQuery() + " failed: " + e.getMessage());
        }
    }

    static byte[] request(Call call) {
        URI base = URI.create(call.baseUrl());
        String host = base.getHost() + (base.getPort() > 0 ? ":" + base.getPort() : "");
        String target = call.pathAndQuery();
        StringBuilder head = new StringBuilder();
        head.append(call.method()).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(host).append("\r\n");
        head.append("X-Forwarded-Proto: ").append(base.getScheme()).append("\r\n");
        head.append("X-Forwarded-Host: ").append(host).append("\r\n");
        head.append("Accept: application/fhir+json, application/json\r\n");
        head.append("Connection: close\r\n");
        if (call.authorization() != null) {
            head.append("Authorization: ").append(call.authorization().replaceAll("[\r\n]", "")).append("\r\n");
        }
        call.headers().forEach((name, value) -> head.append(name.replaceAll("[\r\n:]", "")).append(": ")
                .append(value.replaceAll("[\r\n]", "")).append("\r\n"));
        byte[] body = call.body() == null ? new byte[0] : call.body();
        if (call.contentType() != null) {
            head.append("Content-Type: ").append(call.contentType()).append("\r\n");
        }
        if (body.length > 0 || !call.method().equals("GET")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length() + body.length);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Reads an HTTP/1.1 response: status line, headers, then a body of Content-Length bytes or chunks. */
    static final class RawResponses {

        private RawResponses() {
        }

        static Reply parse(ByteBuffer raw) {
            byte[] bytes = new byte[raw.remaining()];
            raw.get(bytes);
            int headEnd = indexOf(bytes, 0);
            if (headEnd < 0) {
                throw new ConsoleException(502, "the server's answer was cut short");
            }
            String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim(), (a, b) -> a + ", " + b);
                }
            }
            int start = headEnd + 4;
            byte[] body;
            if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                body = dechunk(bytes, start);
            } else {
                body = java.util.Arrays.copyOfRange(bytes, start, bytes.length);
            }
            return new Reply(status, headers, body);
        }

        private static byte[] dechunk(byte[] bytes, int at) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pos = at;
            while (pos < bytes.length) {
                int lineEnd = pos;
                while (lineEnd + 1 < bytes.length && !(bytes[lineEnd] == '\r' && bytes[lineEnd + 1] == '\n')) {
                    lineEnd++;
                }
                String sizeText = new String(bytes, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
                int semi = sizeText.indexOf(';');
                int size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    break;
                }
                out.write(bytes, lineEnd + 2, size);
                pos = lineEnd + 2 + size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOf(byte[] b, int from) {
            for (int i = from; i + 3 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
