package dev.fhirbolt.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.eclipse.jetty.server.Request;

/**
 * Configuration of the authorization server. Build with {@link #builder()}; every setting has a default except
 * nothing: the default base URL is taken from the request (scheme, host and port after Jetty's forwarded-header
 * customizer).
 *
 * @param baseUrl                  the FHIR base URL for a request (no trailing slash needed); it is the issuer,
 *                                 the {@code aud} of access tokens and the root of every discovery URL
 * @param accessTokenLifetime      lifetime of user access tokens (at most one hour)
 * @param backendTokenLifetime     lifetime of client_credentials tokens (at most five minutes)
 * @param codeLifetime             lifetime of authorization codes (at most 60 seconds)
 * @param offlineRefreshLifetime   lifetime of offline_access refresh tokens
 * @param sessionLifetime          how long a browser sign-in lasts; online_access refresh tokens end with it
 * @param launchLifetime           how long an EHR launch value may be used
 * @param demoSetup                create the demo users and client on first start
 * @param demoPatientIds           the Patient ids of the two demo patient users
 * @param demoPractitionerId       the Practitioner id of the demo practitioner user
 * @param demoRedirectUris         redirect URIs of the demo public client
 * @param demoLaunchUrl            launch URL of the demo public client
 * @param adminUsername            user name for HTTP Basic on the admin API
 * @param adminPassword            password for the admin API; null disables Basic admin access
 * @param adminToken               bearer token accepted on the admin API and for registration; null disables it
 * @param initialAccessToken       bearer token that allows dynamic registration (besides admin); null: admin only
 * @param maxFailedLogins          failed sign-ins in a row before an account is locked
 * @param lockout                  how long a locked account stays locked
 * @param keyRetention             how long a rotated-out signing key stays in the JWKS (at least the longest
 *                                 token lifetime)
 * @param adminRoleClients         the clients (the console) whose user tokens carry a user's admin role to the admin
 *                                 API; empty: only the admin password and token open it
 */
public record AuthSettings(Function<Request, String> baseUrl, Duration accessTokenLifetime,
        Duration backendTokenLifetime, Duration codeLifetime, Duration offlineRefreshLifetime,
        Duration sessionLifetime, Duration launchLifetime, boolean demoSetup, List<String> demoPatientIds,
        String demoPractitionerId, List<String> demoRedirectUris, String demoLaunchUrl, String adminUsername,
        String adminPassword, String adminToken, String initialAccessToken, int maxFailedLogins, Duration lockout,
        Duration keyRetention, java.util.Set<String> adminRoleClients) {

    public AuthSettings {
        adminRoleClients = adminRoleClients == null ? java.util.Set.of() : java.util.Set.copyOf(adminRoleClients);
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (accessTokenLifetime.compareTo(Duration.ofHours(1)) > 0 || accessTokenLifetime.isNegative()) {
            throw new IllegalArgumentException("access tokens live at most one hour");
        }
        if (backendTokenLifetime.compareTo(Duration.ofMinutes(5)) > 0 || backendTokenLifetime.isNegative()) {
            throw new IllegalArgumentException("backend service tokens live at most five minutes");
        }
        if (codeLifetime.compareTo(Duration.ofSeconds(60)) > 0 || codeLifetime.isNegative()) {
            throw new IllegalArgumentException("authorization codes live at most 60 seconds");
        }
        if (demoPatientIds.size() != 2) {
            throw new IllegalArgumentException("the demo set-up needs exactly two patient ids");
        }
        demoPatientIds = List.copyOf(demoPatientIds);
        demoRedirectUris = List.copyOf(demoRedirectUris);
        if (keyRetention.compareTo(accessTokenLifetime) < 0) {
            keyRetention = accessTokenLifetime;
        }
    }

    /** The base URL of the request without a trailing slash. */
    public String baseUrlOf(Request request) {
        return trimSlash(baseUrl.apply(request));
    }

    static String trimSlash(String url) {
        String u = url;
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }

    /** Base URL derived from the request itself: scheme://host[:port]. */
    public static String requestBaseUrl(Request request) {
        var uri = request.getHttpURI();
        String scheme = uri.getScheme() == null ? (request.isSecure() ? "https" : "http") : uri.getScheme();
        int port = uri.getPort();
        boolean defaultPort = port <= 0 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + uri.getHost() + (defaultPort ? "" : ":" + port);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.baseUrl = baseUrl;
        b.accessTokenLifetime = accessTokenLifetime;
        b.backendTokenLifetime = backendTokenLifetime;
        b.codeLifetime = codeLifetime;
        b.offlineRefreshLifetime = offlineRefreshLifetime;
        b.sessionLifetime = sessionLifetime;
        b.launchLifetime = launchLifetime;
        b.demoSetup = demoSetup;
        b.demoPatientIds = demoPatientIds;
        b.demoPractitionerId = demoPractitionerId;
        b.demoRedirectUris = demoRedirectUris;
        b.demoLaunchUrl = demoLaunchUrl;
        b.adminUsername = adminUsername;
        b.adminPassword = adminPassword;
        b.adminToken = adminToken;
        b.initialAccessToken = initialAccessToken;
        b.maxFailedLogins = maxFailedLogins;
        b.lockout = lockout;
        b.keyRetention = keyRetention;
        b.adminRoleClients = adminRoleClients;
        return b;
    }

    /** Builder with production-sensible defaults (demo set-up on, as the brief of the project asks). */
    public static final class Builder {
        private Function<Request, String> baseUrl = AuthSettings::requestBaseUrl;
        private Duration accessTokenLifetime = Duration.ofHours(1);
        private Duration backendTokenLifetime = Duration.ofMinutes(5);
        private Duration codeLifetime = Duration.ofSeconds(60);
        private Duration offlineRefreshLifetime = Duration.ofDays(90);
        private Duration sessionLifetime = Duration.ofHours(8);
        private Duration launchLifetime = Duration.ofMinutes(10);
        private boolean demoSetup = false;
        private List<String> demoPatientIds = List.of("demo-patient-1", "demo-patient-2");
        private String demoPractitionerId = "demo-practitioner";
        private List<String> demoRedirectUris = List.of("http://localhost:9090/callback",
                "http://127.0.0.1:9090/callback");
        private String demoLaunchUrl = "http://localhost:9090/launch";
        private String adminUsername = "admin";
        private String adminPassword;
        private java.util.Set<String> adminRoleClients = java.util.Set.of();
        private String adminToken;
        private String initialAccessToken;
        private int maxFailedLogins = 5;
        private Duration lockout = Duration.ofMinutes(15);
        private Duration keyRetention = Duration.ofHours(2);

        /** A fixed base URL (from {@code --base-url}). */
        public Builder baseUrl(String url) {
            String fixed = trimSlash(url);
            this.baseUrl = r -> fixed;
            return this;
        }

        public Builder baseUrl(Function<Request, String> baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        public Builder accessTokenLifetime(Duration d) {
            this.accessTokenLifetime = d;
            return this;
        }

        public Builder backendTokenLifetime(Duration d) {
            this.backendTokenLifetime = d;
            return this;
        }

        public Builder codeLifetime(Duration d) {
            this.codeLifetime = d;
            return this;
        }

        public Builder offlineRefreshLifetime(Duration d) {
            this.offlineRefreshLifetime = d;
            return this;
        }

        public Builder sessionLifetime(Duration d) {
            this.sessionLifetime = d;
            return this;
        }

        public Builder launchLifetime(Duration d) {
            this.launchLifetime = d;
            return this;
        }

        public Builder demoSetup(boolean on) {
            this.demoSetup = on;
            return this;
        }

        public Builder demoPatientIds(String first, String second) {
            this.demoPatientIds = List.of(first, second);
            return this;
        }

        public Builder demoPractitionerId(String id) {
            this.demoPractitionerId = id;
            return this;
        }

        public Builder demoRedirectUris(List<String> uris) {
            this.demoRedirectUris = uris;
            return this;
        }

        public Builder demoLaunchUrl(String url) {
            this.demoLaunchUrl = url;
            return this;
        }

        public Builder adminUsername(String name) {
            this.adminUsername = name;
            return this;
        }

        public Builder adminPassword(String password) {
            this.adminPassword = password;
            return this;
        }

        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        public Builder initialAccessToken(String token) {
            this.initialAccessToken = token;
            return this;
        }

        public Builder maxFailedLogins(int n) {
            this.maxFailedLogins = n;
            return this;
        }

        public Builder lockout(Duration d) {
            this.lockout = d;
            return this;
        }

        /** The clients whose user tokens carry the user's admin role to the admin API (the console's). */
        public Builder adminRoleClients(java.util.Set<String> clientIds) {
            this.adminRoleClients = clientIds;
            return this;
        }

        public Builder keyRetention(Duration d) {
            this.keyRetention = d;
            return this;
        }

        public AuthSettings build() {
            return new AuthSettings(baseUrl, accessTokenLifetime, backendTokenLifetime, codeLifetime,
                    offlineRefreshLifetime, sessionLifetime, launchLifetime, demoSetup, demoPatientIds,
                    demoPractitionerId, demoRedirectUris, demoLaunchUrl, adminUsername, adminPassword, adminToken,
                    initialAccessToken, maxFailedLogins, lockout, keyRetention, adminRoleClients);
        }
    }
}
