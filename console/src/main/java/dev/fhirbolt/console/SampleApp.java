package dev.fhirbolt.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The built-in sample SMART app, a patient summary served from the jar under {@code /sample-app/}: plain HTML and a
 * script written on the SMART JavaScript client library {@code fhirclient}, whose browser bundle is vendored beside it
 * and served from the jar too (nothing is fetched from elsewhere). The server
 * registers it as the public client {@link #CLIENT_ID} so that both launches work out of the box.
 */
public final class SampleApp {

    public static final String CLIENT_ID = "fhirbolt-sample-app";
    public static final String PREFIX = "/sample-app/";
    /** Below the base URL: the launch page (EHR launch with {@code iss} and {@code launch}; standalone with {@code iss}). */
    public static final String LAUNCH = PREFIX + "launch.html";
    /** Below the base URL: the redirect URI, which shows the summary. */
    public static final String REDIRECT = PREFIX + "index.html";
    /** What the app may be granted: read-only access in the patient's compartment and who the user is. */
    public static final String SCOPE = "launch launch/patient launch/encounter openid fhirUser profile offline_access"
            + " online_access patient/*.rs";

    /** The vendored SMART JavaScript client library (npm {@code fhirclient}, see the README.md beside it). */
    static final String FHIRCLIENT = "fhirclient/fhir-client.min.js";

    private final ClasspathFiles files = new ClasspathFiles("sample-app", Map.of("launch.html", "text/html;charset=utf-8",
            "index.html", "text/html;charset=utf-8", "sample-app.js", "text/javascript;charset=utf-8",
            "sample-app.css", "text/css;charset=utf-8", FHIRCLIENT, "text/javascript;charset=utf-8",
            FHIRCLIENT + ".LICENSE.txt", "text/plain;charset=utf-8", "fhirclient/LICENSE", "text/plain;charset=utf-8"));

    static String launchUrl(String baseUrl) {
        return baseUrl + LAUNCH;
    }

    /** Sends a file of the app ({@code name} below {@code /sample-app/}); false when there is none by that name. */
    boolean send(String name, Response response, Callback callback) throws IOException {
        ClasspathFiles.File file = files.get(name).orElse(null);
        if (file == null) {
            return false;
        }
        byte[] bytes = file.bytes();
        String type = file.type();
        response.setStatus(200);
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, type);
        h.put(HttpHeader.CACHE_CONTROL, "no-cache");
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        // the app calls the FHIR server named by iss, which may be another origin
        h.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                + " connect-src 'self' http: https:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        h.put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return true;
    }
}
