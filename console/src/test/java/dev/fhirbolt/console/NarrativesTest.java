package dev.fhirbolt.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NarrativesTest {

    @Test
    void keepsTheFormattingANarrativeMayHold() {
        String html = Narratives.safeHtml("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b>Zoe</b> Sandbox</p>"
                + "<table><tr><th scope=\"row\">Born</th><td colspan=\"2\">1982</td></tr></table>"
                + "<ul><li>one</li></ul><a href=\"https://example.org/x\">more</a></div>");
        assertTrue(html.contains("<p><b>Zoe</b> Sandbox</p>"), html);
        assertTrue(html.contains("<th scope=\"row\">Born</th><td colspan=\"2\">1982</td>"), html);
        assertTrue(html.contains("<a href=\"https://example.org/x\" rel=\"nofollow noopener noreferrer\">more</a>"), html);
        assertFalse(html.contains("xmlns"), html);
    }

    @Test
    void dropsScriptsEventHandlersStylesAndIds() {
        String html = Narratives.safeHtml("<div><script>alert(1)</script><p id=\"json\" class=\"banner\" style=\"color:red\""
                + " onclick=\"alert(2)\">text</p><a href=\"javascript:alert(3)\">x</a><iframe src=\"https://e.org\"></iframe>"
                + "<form action=\"/x\"><input name=\"a\"/></form><svg onload=\"alert(4)\"></svg></div>");
        for (String bad : new String[] {"script", "alert", "onclick", "style", "id=", "class", "javascript", "iframe",
            "form", "input", "svg", "onload"}) {
            assertFalse(html.contains(bad), bad + " in " + html);
        }
        assertEquals("<div><p>text</p><a rel=\"nofollow noopener noreferrer\">x</a></div>", html);
    }

    @Test
    void keepsOnlyInlineImages() {
        String html = Narratives.safeHtml("<div><img src=\"x\" onerror=\"alert(1)\"/><img src=\"https://e.org/t.png\"/>"
                + "<img src=\"data:image/svg+xml;base64,PHN2Zz4=\"/><img alt=\"dot\" src=\"data:image/png;base64,iVBORw0KGgo=\"/>"
                + "</div>");
        assertEquals("<div><img alt=\"dot\" src=\"data:image/png;base64,iVBORw0KGgo=\"></div>", html);
    }

    @Test
    void emptyWhenNothingIsLeft() {
        assertEquals("", Narratives.safeHtml(null));
        assertEquals("", Narratives.safeHtml("<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>x()</script></div>"));
    }
}
