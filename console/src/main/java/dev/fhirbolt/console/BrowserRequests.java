package dev.fhirbolt.console;

import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Tells a person's browser from a FHIR client: a GET whose Accept header names {@code text/html} before any FHIR or
 * JSON/XML type, without {@code _format}, is a page view. Such requests for the root or a FHIR path are answered by
 * the console instead of a FHIR document that Chromium would download.
 */
public final class BrowserRequests {

    private BrowserRequests() {
    }

    public static boolean wantsHtml(Request request) {
        if (!"GET".equals(request.getMethod())) {
            return false;
        }
        String query = request.getHttpURI().getQuery();
        if (query != null && (query.startsWith("_format=") || query.contains("&_format="))) {
            return false;
        }
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept == null) {
            return false;
        }
        for (String range : accept.toLowerCase(Locale.ROOT).split(",")) {
            String type = range.split(";")[0].trim();
            if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                return true;
            }
            if (type.contains("fhir") || type.contains("json") || type.contains("xml") || type.equals("*/*")) {
                return false;
            }
        }
        return false;
    }

    /** The root, {@code metadata}, {@code _history} or a path starting with a resource type. */
    public static boolean isFhirPath(String path) {
        if (path.equals("/") || path.isEmpty()) {
            return true;
        }
        String first = path.substring(1).split("/", 2)[0];
        return first.equals("metadata") || first.equals("_history")
                || (!first.isEmpty() && Character.isUpperCase(first.charAt(0)));
    }
}
