package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One granted resource scope as enforced: the scope, and the compartment it is held to ({@code Patient/123}), or
 * null when it reaches every resource of the types it names.
 */
record Permit(SmartScope scope, String compartment) {

    /**
     * Resource types a wildcard scope does not reach: they must be named, by a scope that is neither held to a
     * compartment nor granular (the audit log has no compartment index and no generic search to narrow it by).
     */
    static final java.util.Set<String> NAMED_ONLY = java.util.Set.of("AuditEvent");

    boolean appliesTo(String type) {
        if (!scope.appliesTo(type)) {
            return false;
        }
        return !NAMED_ONLY.contains(type) || !scope.isWildcardType() && compartment == null && !granular();
    }

    boolean permits(SmartScope.Permission permission) {
        return scope.permits(permission);
    }

    boolean granular() {
        return !scope.parameters().isEmpty();
    }

    String compartmentType() {
        return compartment == null ? null : compartment.substring(0, compartment.indexOf('/'));
    }

    String compartmentId() {
        return compartment == null ? null : compartment.substring(compartment.indexOf('/') + 1);
    }

    /** The granular query as search parameters. */
    Map<String, List<String>> params() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (SmartScope.Parameter p : scope.parameters()) {
            out.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p.value());
        }
        return out;
    }

    /** The granular query as a query string (URL-encoded), for _typeFilter. */
    String query() {
        StringBuilder b = new StringBuilder();
        for (SmartScope.Parameter p : scope.parameters()) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(enc(p.name())).append('=').append(enc(p.value()));
        }
        return b.toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
