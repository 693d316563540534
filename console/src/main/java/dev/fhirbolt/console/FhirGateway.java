package dev.fhirbolt.console;

/**
 * How the console reaches the server's own HTTP API (FHIR and the auth server's token endpoint): every call goes
 * through the same handlers, security checks and audit as a call from outside, with the signed-in user's token.
 */
public interface FhirGateway {

    Reply exchange(Call call);

    /**
     * One HTTP call.
     *
     * @param pathAndQuery  e.g. {@code /Patient?name=x} (absolute path below the server root)
     * @param baseUrl       the public base URL of the browser's request, so that links and token audiences match
     * @param authorization the Authorization header value, or null
     * @param contentType   the body's media type, or null without a body
     * @param headers       further request headers (If-Match, Prefer), none when empty
     */
    record Call(String method, String pathAndQuery, String baseUrl, String authorization, String contentType,
            byte[] body, java.util.Map<String, String> headers) {

        public Call(String method, String pathAndQuery, String baseUrl, String authorization, String contentType,
                byte[] body) {
            this(method, pathAndQuery, baseUrl, authorization, contentType, body, java.util.Map.of());
        }

        public static Call get(String pathAndQuery, String baseUrl, String authorization) {
            return new Call("GET", pathAndQuery, baseUrl, authorization, null, null);
        }
    }

    /** The answer: status, headers (names in lower case) and body. */
    record Reply(int status, java.util.Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
