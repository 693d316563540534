package dev.fhirbolt.console;

import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * A resource's narrative ({@code text.div}) made safe to put in a console page: only the XHTML a FHIR narrative may
 * hold (the basic formatting elements, lists, tables, links and images of the specification's rule txt-1), without
 * scripts, forms, frames, styles, event handlers or ids, links only to http, https or mailto (opened without a
 * referrer), images only inline ({@code data:image/png|gif|jpeg|webp}), since the page fetches nothing from elsewhere.
 * The server sanitizes; the page's script never parses the narrative.
 */
final class Narratives {

    private static final String[] TAGS = {"a", "abbr", "acronym", "address", "b", "bdo", "big", "blockquote", "br",
        "caption", "cite", "code", "col", "colgroup", "dd", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5",
        "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "q", "samp", "small", "span", "strong", "sub", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "ul", "var"};
    private static final Pattern INLINE_IMAGE = Pattern.compile("(?i)data:image/(png|gif|jpeg|webp)[;,].*",
            Pattern.DOTALL);
    private static final Safelist ALLOWED = new Safelist()
            .addTags(TAGS)
            .addAttributes(":all", "title", "lang", "dir")
            .addAttributes("a", "href")
            .addProtocols("a", "href", "http", "https", "mailto")
            .addEnforcedAttribute("a", "rel", "nofollow noopener noreferrer")
            .addAttributes("img", "src", "alt", "width", "height")
            .addProtocols("img", "src", "data")
            .addAttributes("td", "colspan", "rowspan", "abbr")
            .addAttributes("th", "colspan", "rowspan", "abbr", "scope")
            .addAttributes("col", "span")
            .addAttributes("colgroup", "span")
            .addAttributes("ol", "start", "type")
            .addAttributes("li", "value");

    private Narratives() {
    }

    /** The narrative's safe HTML, empty when there is none (or nothing of it is left). */
    static String safeHtml(String div) {
        if (div == null || div.isBlank()) {
            return "";
        }
        Document clean = new Cleaner(ALLOWED).clean(Jsoup.parseBodyFragment(div));
        for (Element img : clean.select("img")) {
            if (!INLINE_IMAGE.matcher(img.attr("src")).matches()) {
                img.remove();
            }
        }
        clean.outputSettings().prettyPrint(false).escapeMode(Entities.EscapeMode.base)
                .charset(java.nio.charset.StandardCharsets.UTF_8);
        String html = clean.body().html().trim();
        return clean.body().text().isBlank() && clean.select("img").isEmpty() ? "" : html;
    }
}
