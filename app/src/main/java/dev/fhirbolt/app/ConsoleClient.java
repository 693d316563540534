package dev.fhirbolt.app;

import dev.fhirbolt.auth.AdminService;
import dev.fhirbolt.auth.ClientSpec;
import dev.fhirbolt.auth.ClientType;
import dev.fhirbolt.auth.RegisteredClient;
import dev.fhirbolt.console.ConsoleSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Registers the console as a public SMART client (authorization code with PKCE) whose redirect URIs are the
 * console's callback under the configured base URL, or under localhost and 127.0.0.1 on the listening ports.
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
        List<String> redirects = bases.stream().map(b -> b + ConsoleSettings.CALLBACK).toList();
        List<String> scopes = List.of(ConsoleSettings.SCOPE.split(" "));
        Optional<RegisteredClient> known = admin.client(ConsoleSettings.CLIENT_ID);
        if (known.isPresent() && known.get().redirectUris().equals(redirects) && known.get().scopes().equals(scopes)) {
            return;
        }
        known.ifPresent(c -> admin.deleteClient(c.clientId()));
        admin.registerClient(new ClientSpec(ConsoleSettings.CLIENT_ID, "Fhirbolt Console", ClientType.PUBLIC,
                redirects, null, scopes, null, null));
    }

    private static List<String> hosts(String host) {
        List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1"));
        if (!host.equals("0.0.0.0") && !host.equals("::") && !hosts.contains(host)) {
            hosts.add(host);
        }
        return hosts;
    }
}
