package dev.fhirbolt.authz;

import dev.fhirbolt.auth.AdminService;
import dev.fhirbolt.auth.RegisteredClient;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which browser origins may call the FHIR API: the origins of the registered clients' redirect and launch URLs
 * (refreshed every 30 seconds, so a newly registered app works almost at once), plus configured extra origins.
 */
public final class CorsPolicy {

    static final String ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, Accept, Prefer, If-Match, If-None-Match, "
            + "If-None-Exist, If-Modified-Since, X-Requested-With, X-Fhirbolt-Position";
    static final String EXPOSE_HEADERS = "Location, ETag, Content-Location, Last-Modified, X-Fhirbolt-Position";
    private static final Duration REFRESH = Duration.ofSeconds(30);

    private final Supplier<List<RegisteredClient>> clients;
    private final Set<String> extra;
    private final boolean any;
    private final Clock clock;
    private volatile Set<String> origins = Set.of();
    private volatile Instant loaded = Instant.MIN;

    private CorsPolicy(Supplier<List<RegisteredClient>> clients, Set<String> extra, boolean any, Clock clock) {
        this.clients = clients;
        this.extra = Set.copyOf(extra);
        this.any = any;
        this.clock = clock;
    }

    /** Origins of the clients registered with the auth server, plus {@code extra} ones. */
    public static CorsPolicy registeredClients(AdminService admin, Set<String> extra, Clock clock) {
        return new CorsPolicy(admin::listClients, extra, false, clock);
    }

    /** Every origin (development mode). */
    public static CorsPolicy anyOrigin() {
        return new CorsPolicy(List::of, Set.of(), true, Clock.systemUTC());
    }

    /** True when the FHIR API answers this origin. */
    public boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        if (any) {
            return true;
        }
        String o = normalize(origin);
        return o != null && (extra.contains(o) || current().contains(o));
    }

    private Set<String> current() {
        Instant now = clock.instant();
        if (now.isAfter(loaded.plus(REFRESH))) {
            Set<String> out = new HashSet<>();
            for (RegisteredClient c : clients.get()) {
                c.redirectUris().forEach(u -> add(out, u));
                add(out, c.launchUrl());
            }
            origins = Set.copyOf(out);
            loaded = now;
        }
        return origins;
    }

    private static void add(Set<String> out, String url) {
        String o = url == null ? null : normalize(url);
        if (o != null) {
            out.add(o);
        }
    }

    /** scheme://host[:port] in lower case, default ports left out; null when not an http(s) URL. */
    static String normalize(String url) {
        try {
            URI u = URI.create(url.trim());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || u.getHost() == null) {
                return null;
            }
            int port = u.getPort();
            boolean def = port < 0 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (def ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
