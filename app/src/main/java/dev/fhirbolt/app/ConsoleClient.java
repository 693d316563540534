package dev.fhirbolt.app;

import dev.fhirbolt.auth.AdminService;
import dev.fhirbolt.auth.ClientSpec;
import dev.fhirbolt.auth.ClientType;
import dev.fhirbolt.auth.RegisteredClient;
import dev.fhirbolt.console.ConsoleSettings;
import dev.fhirbolt.console.SampleApp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the console and the built-in sample app as public SMART clients (authorization code with PKCE) whose
 * redirect URIs are under the configured base URL, or under localhost and 127.0.0.1 on the listening ports.
 */
final class ConsoleClient {

    private ConsoleClient() {
    }

    static void register(AdminService admin, Optional<String> baseUrl, String host, int httpPort,
            Optional<Integer> httpsPort) {
        Set<String> bases = new LinkedHashSet<>();
        if (baseUrl.isPresent()) {
            bases.add(baseUrl.get().replaceAll("/+$", ""));
        } else {
            for (String h : hosts(host)) {
                bases.add("http://" + h + (httpPort == 80 ? "" : ":" + httpPort));
                httpsPort.ifPresent(p -> bases.add("https://" + h + (p == 443 ? "" : ":" + p)));
            }
        }
        ensure(admin, ConsoleSettings.CLIENT_ID, "Fhirbolt Console",
                bases.stream().map(b -> b + ConsoleSettings.CALLBACK).toList(), null, ConsoleSettings.SCOPE);
        // the built-in sample app: its launch URL is under the first base; the sandbox uses the browser's own
        ensure(admin, SampleApp.CLIENT_ID, "Fhirbolt sample app (patient summary)",
                bases.stream().map(b -> b + SampleApp.REDIRECT).toList(), bases.iterator().next() + SampleApp.LAUNCH,
                SampleApp.SCOPE);
    }

    /** Registers a public client as given, replacing a registration that differs. */
    private static void ensure(AdminService admin, String clientId, String name, List<String> redirects,
            String launchUrl, String scope) {
        List<String> scopes = List.of(scope.split(" "));
        Optional<RegisteredClient> known = admin.client(clientId);
        if (known.isPresent() && known.get().redirectUris().equals(redirects) && known.get().scopes().equals(scopes)
                && java.util.Objects.equals(known.get().launchUrl(), launchUrl)) {
            return;
        }
        known.ifPresent(c -> admin.deleteClient(c.clientId()));
        admin.registerClient(new ClientSpec(clientId, name, ClientType.PUBLIC, redirects, launchUrl, scopes, null,
                null));
    }

    private static List<String> hosts(String host) {
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1"));
        if (!host.equals("0.0.0.0") && !host.equals("::") && !hosts.contains(host)) {
            hosts.add(host);
        }
        return hosts;
    }
}
