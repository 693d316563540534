package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * HTTP to a running server for the admin commands, with messages that say what went wrong: the server cannot be
 * reached, refused the credentials, or refused the request (its own description).
 */
public final class AdminClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;

    public AdminClient(String server) {
        if (server == null || !(server.startsWith("http://") || server.startsWith("https://"))) {
            throw new CommandException("--server must be the server's base URL, e.g. http://localhost:8080 (got "
                    + server + ")");
        }
        this.server = server.replaceAll("/+$", "");
    }

    String server() {
        return server;
    }

    /** A call to the admin API with HTTP Basic (user {@code admin}). */
    JsonNode admin(String method, String path, String password, String json) {
        if (password == null || password.isEmpty()) {
            throw new CommandException("the admin password is needed: pass --admin-password or set"
                    + " FHIRBOLT_ADMIN_PASSWORD");
        }
        return withAdminCredentials(method, "/auth/admin" + path, password, json, Duration.ofSeconds(30));
    }

    /**
     * A call to any admin endpoint of the server ({@code path} below its base URL), with HTTP Basic when there is a
     * password (a server in development mode needs none).
     */
    JsonNode withAdminCredentials(String method, String path, String password, String json, Duration timeout) {
        return withAdminCredentials(method, path, password, json == null ? null
                : json.getBytes(StandardCharsets.UTF_8), "application/json", timeout);
    }

    /** The same with a body of any media type (null: none). */
    public JsonNode withAdminCredentials(String method, String path, String password, byte[] body,
            String contentType, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(timeout)
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (password != null && !password.isEmpty()) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = send(b.build());
        if (r.statusCode() == 401) {
            throw new CommandException(password == null || password.isEmpty()
                    ? "the server at " + server + " needs the admin password: pass --admin-password or set"
                            + " FHIRBOLT_ADMIN_PASSWORD"
                    : "the server at " + server + " refused the admin credentials (is its admin-password set, and"
                            + " is this it?)");
        }
        return answer(r);
    }

    /** A form POST (the token endpoint). */
    JsonNode form(String url, String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return answer(send(request));
    }

    JsonNode get(String path) {
        return answer(send(HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").GET().build()));
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new CommandException("cannot reach the server at " + server + " (connection refused): is it"
                    + " running, and is this its address?");
        } catch (HttpTimeoutException e) {
            throw new CommandException("the server at " + server + " did not answer in time");
        } catch (IOException e) {
            throw new CommandException("cannot talk to the server at " + server + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted");
        }
    }

    private JsonNode answer(HttpResponse<String> r) {
        JsonNode body;
        try {
            body = r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new CommandException("the server at " + server + " answered " + r.statusCode()
                    + " with something other than JSON: is this a Fhirbolt server?");
        }
        if (r.statusCode() >= 400) {
            String why = body.path("error_description").asText(body.path("error").asText(""));
            if (why.isEmpty()) {
                why = body.path("issue").path(0).path("diagnostics").asText("no reason given");
            }
            throw new CommandException("the server refused (" + r.statusCode() + "): " + why);
        }
        return body;
    }
}
