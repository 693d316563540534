package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonHtmlTest {

    @Test
    void referencesOfThisServerAreLinksAndEverythingIsEscaped() {
        String html = JsonHtml.render(JsonTexts.parse(("{\"subject\":{\"reference\":\"Patient/p1\"},"
                + "\"note\":[{\"text\":\"<script>alert(1)</script>\"}],\"other\":{\"reference\":"
                + "\"http://h:1/Encounter/e1/_history/2\"},\"n\":3}").getBytes(StandardCharsets.UTF_8)), "http://h:1");
        assertTrue(html.contains("<a class=\"ref\" href=\"/console/resource/Patient/p1\">"), html);
        assertTrue(html.contains("href=\"/console/resource/Encounter/e1/_history/2\""), html);
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;"), html);
    }

    @Test
    void onlyPlainReferencesIntoThisServerAreLinked() {
        assertNull(JsonHtml.consolePath("urn:uuid:1234", "http://h:1"));
        assertNull(JsonHtml.consolePath("http://other/Patient/1", "http://h:1"));
        assertNull(JsonHtml.consolePath("Patient/../../x", "http://h:1"));
        assertEquals("/console/resource/Patient/a.b-1", JsonHtml.consolePath("Patient/a.b-1", "http://h:1"));
    }
}
