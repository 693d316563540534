package dev.fhirbolt.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import dev.fhirbolt.common.FhirException;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Reading JSON through a tree accepts and refuses exactly what HAPI's strict parser does, with its messages. */
class ResourceReaderTreeTest {

    private static final String GOOD_ENTRY = "{\"fullUrl\":\"urn:uuid:1\",\"resource\":{\"resourceType\":\"Patient\","
            + "\"id\":\"1\"},\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}";

    @Test
    void badBodiesGetHapisMessages() {
        List<byte[]> bodies = List.of(
                utf8("{\"resourceType\":\"Patient\""),
                utf8("{\"resourceType\":\"Patient\"} {}"),
                utf8("{\"resourceType\":\"Patient\"} x"),
                utf8("[{\"resourceType\":\"Patient\"}]"),
                utf8("  \n"),
                utf8("\uFEFF{\"resourceType\":\"Patient\"}"),
                utf8("{\"resourceType\":\"NoSuchType\"}"),
                utf8("{\"resourceType\":\"patient\"}"),
                utf8("{\"id\":\"x\"}"),
                utf8("{\"resourceType\":\"Patient\",\"foo\":1}"),
                utf8("{\"resourceType\":\"Patient\",\"active\":\"yes\"}"),
                utf8("{\"resourceType\":\"Patient\",\"gender\":\"other-ish\"}"),
                utf8("{\"resourceType\":\"Patient\",\"birthDate\":\"1 May\"}"),
                utf8("{\"resourceType\":\"Patient\",\"name\":{\"family\":\"x\"}}"),
                utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":[\"x\"]}]}"),
                utf8("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"\"}]}"),
                utf8("{\"resourceType\":\"Patient\",\"active\":true,}"),
                utf8("{\"resourceType\":\"Patient\",\"multipleBirthInteger\":1.5}"),
                utf8("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{},\"valueQuantity\":"
                        + "{\"value\":" + "9".repeat(2000) + "}}"),
                utf8("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"resourceType\":"
                        + "\"Patient\",\"foo\":true}}]}"),
                utf8("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[" + GOOD_ENTRY + ",null]}"),
                utf8("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[{\"resource\":{\"id\":"
                        + "\"x\"}}]}"),
                "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_16LE),
                "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_16BE));
        for (byte[] body : bodies) {
            String hapi = hapiError(body);
            String ours;
            try {
                ResourceReader.read(body, FhirFormat.JSON);
                ours = null;
            } catch (FhirException e) {
                ours = e.getMessage();
            }
            assertEquals(hapi, ours, new String(body, StandardCharsets.UTF_8));
        }
    }

    @Test
    void bytesHapisReaderWouldDecodeLenientlyAreRefused() {
        // HAPI's reader would store "M\uFFFDller": the name the client sent would be lost without a word
        byte[] latin1 = "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"M\u00fcller\"}]}"
                .getBytes(StandardCharsets.ISO_8859_1);
        FhirException e = org.junit.jupiter.api.Assertions.assertThrows(FhirException.class,
                () -> ResourceReader.read(latin1, FhirFormat.JSON));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("not valid UTF-8: byte 46 (0xFC)"), e.getMessage());
    }

    @Test
    void eachEntryKeepsItsOwnTreeAndTheBundleNone() {
        Bundle b = (Bundle) ResourceReader.read(utf8("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":["
                + GOOD_ENTRY + "," + GOOD_ENTRY.replace("urn:uuid:1", "urn:uuid:2").replace("\"1\"", "\"2\"")
                + ",{\"request\":{\"method\":\"DELETE\",\"url\":\"Patient/9\"}}]}"), FhirFormat.JSON);
        assertTrue(ResourceJson.of(b).isEmpty());
        for (int i = 0; i < 2; i++) {
            Resource r = b.getEntry().get(i).getResource();
            assertEquals("urn:uuid:" + (i + 1), r.getIdElement().getValue(), "HAPI's fullUrl rule applied as before");
            assertEquals(String.valueOf(i + 1), ResourceJson.of(r).orElseThrow().tree().get("id").asText());
        }
    }

    private static String hapiError(byte[] body) {
        IParser parser = Fhir.context().newJsonParser();
        parser.setParserErrorHandler(new StrictErrorHandler());
        try {
            if (!(parser.parseResource(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))
                    instanceof Resource)) {
                return "the body is not a FHIR R4 resource";
            }
            return null;
        } catch (DataFormatException e) {
            return "the JSON body is not a valid FHIR R4 resource: " + ResourceReader.clean(e.getMessage());
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
