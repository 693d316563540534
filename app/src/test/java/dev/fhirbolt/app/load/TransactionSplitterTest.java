package dev.fhirbolt.app.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TransactionSplitterTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    static byte[] json(String s) {
        return s.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void uuidCreationsBecomePutsAndReferencesFollowAcrossParts() throws Exception {
        byte[] bundle = json("{'resourceType':'Bundle','type':'transaction','entry':["
                + "{'fullUrl':'urn:uuid:p1','resource':{'resourceType':'Patient'},'request':{'method':'POST','url':'Patient'}},"
                + "{'fullUrl':'urn:uuid:o1','resource':{'resourceType':'Observation','subject':{'reference':'urn:uuid:p1'},"
                + "'performer':[{'reference':'Practitioner?identifier=x|1'}]},'request':{'method':'POST','url':'Observation'}},"
                + "{'resource':{'resourceType':'Patient','id':'keep'},'request':{'method':'PUT','url':'Patient/keep'}}]}");
        List<JsonNode> parts = new ArrayList<>();
        List<Integer> firsts = new ArrayList<>();
        Optional<Integer> n = new TransactionSplitter(2, 1 << 20).split(bundle, (part, first, entries) -> {
            parts.add(MAPPER.readTree(part));
            firsts.add(first);
        });
        assertEquals(Optional.of(2), n);
        assertEquals(List.of(0, 2), firsts);
        JsonNode first = parts.get(0);
        assertEquals("transaction", first.path("type").asText());
        assertEquals("PUT", first.path("entry").get(0).path("request").path("method").asText());
        assertEquals("Patient/p1", first.path("entry").get(0).path("request").path("url").asText());
        assertEquals("p1", first.path("entry").get(0).path("resource").path("id").asText());
        assertTrue(first.path("entry").get(0).path("fullUrl").isMissingNode());
        JsonNode observation = first.path("entry").get(1).path("resource");
        assertEquals("Patient/p1", observation.path("subject").path("reference").asText());
        assertEquals("Practitioner?identifier=x|1", observation.path("performer").get(0).path("reference").asText());
        assertEquals("Patient/keep", parts.get(1).path("entry").get(0).path("request").path("url").asText());
    }

    @Test
    void aBundleReferringToOtherFullUrlsOrABatchIsNotSplit() throws Exception {
        byte[] otherFullUrl = json("{'resourceType':'Bundle','type':'transaction','entry':["
                + "{'fullUrl':'http://x/fhir/Patient/1','resource':{'resourceType':'Patient','id':'1'},"
                + "'request':{'method':'PUT','url':'Patient/1'}}]}");
        byte[] batch = json("{'resourceType':'Bundle','type':'batch','entry':["
                + "{'fullUrl':'urn:uuid:p1','resource':{'resourceType':'Patient'},'request':{'method':'POST','url':'Patient'}}]}");
        TransactionSplitter splitter = new TransactionSplitter(1, 1 << 20);
        assertEquals(Optional.empty(), splitter.split(otherFullUrl, (p, f, e) -> { throw new AssertionError(); }));
        assertEquals(Optional.empty(), splitter.split(batch, (p, f, e) -> { throw new AssertionError(); }));
    }
}
