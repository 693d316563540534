package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LocalGatewayTest {

    @Test
    void responsesWithLengthOrChunksAreRead() {
        FhirGateway.Reply plain = LocalGateway.RawResponses.parse(ByteBuffer.wrap(("HTTP/1.1 404 Not Found\r\n"
                + "Content-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.UTF_8)));
        assertEquals(404, plain.status());
        assertEquals("application/fhir+json", plain.header("content-type"));
        assertEquals("{}", plain.text());
        FhirGateway.Reply chunked = LocalGateway.RawResponses.parse(ByteBuffer.wrap(("HTTP/1.1 200 OK\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"a\":1}", chunked.text());
    }

    @Test
    void theRequestCarriesTheBrowsersBaseUrlAndNoInjectedHeaders() {
        String raw = new String(LocalGateway.request(new FhirGateway.Call("GET", "/Patient?name=x",
                "https://fhir.example:8443", "Bearer abc\r\nX-Evil: 1", null, null)), StandardCharsets.UTF_8);
        assertTrue(raw.startsWith("GET /Patient?name=x HTTP/1.1\r\nHost: fhir.example:8443\r\n"), raw);
        assertTrue(raw.contains("X-Forwarded-Proto: https\r\n"), raw);
        assertTrue(raw.contains("Authorization: Bearer abcX-Evil: 1\r\n"), raw);
    }
}
