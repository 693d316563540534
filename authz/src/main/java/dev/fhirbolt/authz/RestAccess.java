package dev.fhirbolt.authz;

import dev.fhirbolt.auth.AccessGrant;
import dev.fhirbolt.authz.audit.AuditRecord;
import dev.fhirbolt.authz.audit.Auditable;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.Router;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import org.eclipse.jetty.util.HostPort;

/**
 * One FHIR request as {@link SecurityHandler} captures it when the request ends: only references to what the request
 * already holds. Routing it, the outcome text and the request line are worked out by the audit writer.
 *
 * @param grant  the caller's token, or null (security off, or no valid token)
 * @param denial why enforcement refused the request, or null
 * @param remote the caller's socket address as Jetty reports it (forwarded headers applied), or null
 * @param location the response's Location header (what a create made), or null
 */
record RestAccess(Instant at, String method, String path, String query, int status, AccessGrant grant, String denial,
        SocketAddress remote, String location) implements Auditable {

    @Override
    public AuditRecord toRecord() {
        String subtype = "unknown";
        String action = "E";
        String resource = null;
        try {
            Route route = Router.route(method, path.startsWith("/") ? path.substring(1) : path);
            subtype = subtype(route);
            action = action(route.kind());
            if (route.type().isPresent() && route.id().isPresent()) {
                resource = route.requireType() + "/" + route.requireId();
            } else if (location != null && route.type().isPresent()) {
                resource = created(route.requireType(), location);
            }
        } catch (RuntimeException e) {
            // a path the router refuses: recorded as it is
        }
        String outcome = status + (denial != null ? " " + denial : status == 401 ? " no valid access token" : "");
        AccessGrant g = grant;
        return new AuditRecord(at, "rest", subtype, action, status < 400, outcome,
                g == null ? null : g.subject(), g == null ? null : g.fhirUser(), g == null ? null : g.clientId(),
                g == null ? null : g.patient(), address(remote),
                method + " " + path + (query == null ? "" : "?" + query), resource);
    }

    /** {@code Type/id} of what a create made, from its Location ({@code base/Type/id/_history/v}); else null. */
    static String created(String type, String location) {
        int at = location.lastIndexOf("/" + type + "/");
        if (at < 0) {
            return null;
        }
        String rest = location.substring(at + type.length() + 2);
        int slash = rest.indexOf('/');
        return type + "/" + (slash < 0 ? rest : rest.substring(0, slash));
    }

    /** As Jetty's {@code Request.getRemoteAddr}. */
    static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                return inet.getHostString();
            }
            InetAddress address = inet.getAddress();
            return HostPort.normalizeHost(address == null ? inet.getHostString() : address.getHostAddress());
        }
        return remote == null ? null : remote.toString();
    }

    private static String subtype(Route route) {
        return switch (route.kind()) {
            case READ -> "read";
            case VREAD -> "vread";
            case UPDATE, CONDITIONAL_UPDATE -> "update";
            case PATCH, CONDITIONAL_PATCH -> "patch";
            case DELETE, CONDITIONAL_DELETE -> "delete";
            case CREATE -> "create";
            case HISTORY_INSTANCE -> "history-instance";
            case HISTORY_TYPE -> "history-type";
            case HISTORY_SYSTEM -> "history-system";
            case SEARCH_TYPE, SEARCH_COMPARTMENT -> "search-type";
            case SEARCH_SYSTEM -> "search-system";
            case CAPABILITIES -> "capabilities";
            case BATCH -> "batch";
            case OPERATION -> "operation";
        };
    }

    private static String action(InteractionKind kind) {
        return switch (kind) {
            case CREATE -> "C";
            case UPDATE, CONDITIONAL_UPDATE, PATCH, CONDITIONAL_PATCH -> "U";
            case DELETE, CONDITIONAL_DELETE -> "D";
            case BATCH, OPERATION -> "E";
            default -> "R";
        };
    }
}
