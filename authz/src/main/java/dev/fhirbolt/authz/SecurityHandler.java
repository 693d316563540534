package dev.fhirbolt.authz;

import dev.fhirbolt.auth.AccessGrant;
import dev.fhirbolt.auth.TokenVerifier;
import dev.fhirbolt.authz.audit.AuditTrail;
import dev.fhirbolt.rest.http.FhirHttpHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Wraps the FHIR HTTP handler: answers CORS preflights, demands a valid bearer token (401 otherwise) except on the
 * public documents, puts the caller's {@link Access} and client id on the request for the
 * {@link AuthorizationFilter} and the export module, and records every request in the audit trail when it ends.
 */
public final class SecurityHandler extends Handler.Wrapper {

    /** Request attribute: the caller's identity for owning export jobs (the app's {@code Callers.CLIENT_ID}). */
    public static final String CLIENT_ID = "fhirbolt.client-id";

    private final SecurityMode mode;
    private final TokenVerifier verifier;
    private final Function<Request, String> baseUrl;
    private final UserScopePolicy policy;
    private final CorsPolicy cors;
    private final AuditTrail audit;
    private final Clock clock;
    private final String realm;
    /**
     * The Access of each token in use, by token id: a token's grant never changes, so its scopes are parsed and turned
     * into permits once (the token itself is verified on every request). Starts over when full.
     */
    private final Map<String, Access> accessByToken = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_ACCESS = 4096;

    public SecurityHandler(SecurityMode mode, TokenVerifier verifier, Function<Request, String> baseUrl,
            UserScopePolicy policy, CorsPolicy cors, AuditTrail audit, Clock clock, Handler fhir) {
        super(fhir);
        this.mode = mode;
        this.verifier = verifier;
        this.baseUrl = baseUrl;
        this.policy = policy;
        this.cors = cors;
        this.audit = audit;
        this.clock = clock;
        this.realm = "fhirbolt";
    }

    /** Paths anyone may read: the CapabilityStatement and discovery documents. */
    static boolean isPublic(String path) {
        return path.equals("/metadata") || path.equals("/metadata/") || path.startsWith("/.well-known/");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        boolean open = isPublic(path);
        if ("OPTIONS".equals(method) && origin != null
                && request.getHeaders().get(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            preflight(open, origin, response, callback);
            return true;
        }
        if (origin != null) {
            if (open) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, CorsPolicy.EXPOSE_HEADERS);
            } else if (cors.allows(origin)) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_EXPOSE_HEADERS, CorsPolicy.EXPOSE_HEADERS);
                response.getHeaders().add(HttpHeader.VARY, "Origin");
            }
        }
        Map<String, Object> attributes = new HashMap<>();
        AuditNote note = new AuditNote();
        attributes.put(AuthorizationFilter.NOTE, note);
        AccessGrant grant = null;
        if (mode == SecurityMode.SMART && !open) {
            String token = bearer(request);
            if (token == null) {
                unauthorized(request, response, callback, "no access token: send 'Authorization: Bearer <token>'");
                return true;
            }
            grant = verifier.verify(token, baseUrl.apply(request)).orElse(null);
            if (grant == null) {
                unauthorized(request, response, callback, "the access token is not valid here: it is malformed,"
                        + " expired or revoked, or was issued for another server");
                return true;
            }
            attributes.put(AuthorizationFilter.ACCESS, access(grant));
            attributes.put(CLIENT_ID, owner(grant));
        }
        request.setAttribute(FhirHttpHandler.ATTRIBUTES, attributes);
        if (audit == null) {
            return super.handle(request, response, callback);
        }
        AccessGrant who = grant;
        String query = request.getHttpURI().getQuery();
        Callback audited = new Callback() {
            @Override
            public void succeeded() {
                record(request, path, query, response.getStatus(), who, note,
                        response.getHeaders().get("Location"));
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                record(request, path, query, 500, who, note, null);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        return super.handle(request, response, audited);
    }

    private Access access(AccessGrant grant) {
        Access known = accessByToken.get(grant.tokenId());
        if (known != null) {
            return known;
        }
        if (accessByToken.size() >= MAX_CACHED_ACCESS) {
            accessByToken.clear();
        }
        Access fresh = Access.of(grant, policy);
        accessByToken.put(grant.tokenId(), fresh);
        return fresh;
    }

    /** Export jobs belong to this: the client, and for user tokens also the user and patient. */
    static String owner(AccessGrant g) {
        if (g.subject().equals(g.clientId())) {
            return g.clientId();
        }
        return g.clientId() + "|" + g.subject() + (g.patient() == null ? "" : "|Patient/" + g.patient());
    }

    private void preflight(boolean open, String origin, Response response, Callback callback) {
        if (!open && !cors.allows(origin)) {
            response.setStatus(403);
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, open ? "*" : origin);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, CorsPolicy.ALLOW_METHODS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, CorsPolicy.ALLOW_HEADERS);
        response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
        if (!open) {
            response.getHeaders().add(HttpHeader.VARY, "Origin");
        }
        response.setStatus(204);
        callback.succeeded();
    }

    static String bearer(Request request) {
        String h = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private void unauthorized(Request request, Response response, Callback callback, String why) {
        response.setStatus(401);
        response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"" + realm
                + "\", error=\"invalid_token\", error_description=\"" + why.replace("\"", "'") + "\"");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/fhir+json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        String body = "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"login\","
                + "\"diagnostics\":\"" + why.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        if (audit != null) {
            record(request, Request.getPathInContext(request), request.getHttpURI().getQuery(), 401, null, null,
                    null);
        }
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Queues what the audit record needs, as references; the audit writer does the rest. */
    private void record(Request request, String path, String query, int status, AccessGrant g, AuditNote note,
            String location) {
        audit.record(new RestAccess(clock.instant(), request.getMethod(), path, query, status, g,
                note == null ? null : note.denial(), request.getConnectionMetaData().getRemoteSocketAddress(),
                location));
    }

    /** For the auth server's events: the same trail. */
    public static Optional<AuditTrail> trail(SecurityHandler h) {
        return Optional.ofNullable(h.audit);
    }
}
