package dev.fhirbolt.rest.http;

import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Request;

/**
 * The public base URL used in links: the configured one, or the scheme, host and port the client used (Jetty's
 * forwarded-request customizer has already applied Forwarded / X-Forwarded-* headers from a reverse proxy).
 */
public final class BaseUrls {

    private BaseUrls() {
    }

    public static Function<Request, String> resolver(Optional<String> configured) {
        if (configured.isPresent()) {
            String fixed = stripSlash(configured.get());
            return request -> fixed;
        }
        return BaseUrls::fromRequest;
    }

    static String fromRequest(Request request) {
        HttpURI uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
        int port = uri.getPort();
        boolean defaultPort = port <= 0 || (scheme.equals("http") && port == 80)
                || (scheme.equals("https") && port == 443);
        String prefix = request.getContext() == null ? "" : stripSlash(Request.getContextPath(request) == null ? ""
                : Request.getContextPath(request));
        return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + port) + prefix;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
