package dev.fhirbolt.terminology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonCodeSystemTest {

    static final String FILE = "{\"resourceType\":\"CodeSystem\",\"id\":\"old\",\"url\":\"http://x/cs\",\"name\":\"N\","
            + "\"status\":\"active\",\"content\":\"complete\",\"concept\":[{\"code\":\"a\",\"concept\":"
            + "[{\"code\":\"b\",\"property\":[{\"code\":\"p\",\"valueString\":\"v\"}]}]},{\"code\":\"c\"}]}";

    static JsonNode write(String json, JsonCodeSystem.Header header, long[] count) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        count[0] = JsonCodeSystem.write(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), header, out,
                n -> { });
        return new ObjectMapper().readTree(out.toByteArray());
    }

    @Test
    void wrapsTheFileInATransactionThatPutsItUnderTheGivenId() throws Exception {
        long[] count = new long[1];
        JsonNode bundle = write(FILE, new JsonCodeSystem.Header("new", Optional.empty(), Optional.empty(),
                Optional.of("2")), count);
        assertEquals(3, count[0], "nested concepts count too");
        assertEquals("transaction", bundle.get("type").asText());
        JsonNode entry = bundle.get("entry").get(0);
        assertEquals("PUT", entry.get("request").get("method").asText());
        assertEquals("CodeSystem/new", entry.get("request").get("url").asText());
        JsonNode cs = entry.get("resource");
        assertEquals("new", cs.get("id").asText());
        assertEquals("http://x/cs", cs.get("url").asText());
        assertEquals("2", cs.get("version").asText());
        assertEquals("N", cs.get("name").asText());
        assertEquals("v", cs.get("concept").get(0).get("concept").get(0).get("property").get(0).get("valueString")
                .asText());
    }

    @Test
    void aGivenUrlReplacesTheFilesAndBadFilesAreRefused() throws Exception {
        long[] count = new long[1];
        JsonNode cs = write(FILE, new JsonCodeSystem.Header("x", Optional.of("http://y/cs"), Optional.empty(),
                Optional.empty()), count).get("entry").get(0).get("resource");
        assertEquals("http://y/cs", cs.get("url").asText());
        JsonCodeSystem.Header h = new JsonCodeSystem.Header("x", Optional.empty(), Optional.empty(), Optional.empty());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> write("{\"resourceType\":\"ValueSet\"}", h, count))
                .getMessage().contains("not a CodeSystem"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> write("{\"concept\":[{\"code\":", h, count))
                .getMessage().contains("JSON"));
        assertThrows(IllegalArgumentException.class, () -> write("[]", h, count));
    }
}
