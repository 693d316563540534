package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fhirbolt client add|list|remove}: backend-services clients of a running server, through its admin API. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Manage the SMART clients of a running server (admin credentials needed).",
        subcommands = {ClientCommand.Add.class, ClientCommand.ListClients.class, ClientCommand.Remove.class})
public final class ClientCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new picocli.CommandLine(this).usage(System.out);
        return 0;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a backend-services client with a new key pair; the private key goes to a file.")
    static final class Add implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AdminOptions server = new AdminOptions();
        @Option(names = "--id", required = true, description = "The client id, e.g. loader.")
        String id;
        @Option(names = "--name", description = "A name people see (default: the id).")
        String name;
        @Option(names = "--scope", defaultValue = "system/*.cruds",
                description = "The system/ scopes it may ask for (default ${DEFAULT-VALUE}).")
        String scope;
        @Option(names = "--key-file", description = "Where to write its private key (default ~/.fhirbolt/clients/<id>.json).")
        Path keyFile;

        @Override
        public Integer call() throws JOSEException {
            AdminClient admin = new AdminClient(server.server);
            Path file = keyFile != null ? keyFile : KeyFile.defaultPath(id);
            if (java.nio.file.Files.exists(file)) {
                throw new CommandException("the key file " + file + " exists already; choose another with"
                        + " --key-file or remove it first");
            }
            ECKey key = new ECKeyGenerator(Curve.P_384).keyID(UUID.randomUUID().toString()).generate();
            ObjectNode body = AdminClient.JSON.createObjectNode();
            body.put("client_id", id);
            body.put("client_name", name == null ? id : name);
            body.put("type", "backend-service");
            body.put("scope", scope);
            body.set("jwks", AdminClient.JSON.createObjectNode().set("keys", AdminClient.JSON.createArrayNode()
                    .add(AdminClient.JSON.valueToTree(key.toPublicJWK().toJSONObject()))));
            JsonNode made = admin.admin("POST", "/clients", server.adminPassword, body.toString());
            new KeyFile(made.path("client_id").asText(id), admin.server(), made.path("scope").asText(scope), key)
                    .write(file);
            System.out.println("registered backend-services client '" + made.path("client_id").asText(id)
                    + "' (scope " + made.path("scope").asText(scope) + "); private key in " + file);
            System.out.println("get a token with: fhirbolt token --client " + made.path("client_id").asText(id));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered clients.")
    static final class ListClients implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AdminOptions server = new AdminOptions();

        @Override
        public Integer call() {
            JsonNode list = new AdminClient(server.server).admin("GET", "/clients", server.adminPassword, null);
            System.out.printf("%-28s %-24s %-30s %s%n", "CLIENT ID", "TYPE", "NAME", "SCOPE");
            for (JsonNode c : list.path("clients")) {
                System.out.printf("%-28s %-24s %-30s %s%n", c.path("client_id").asText(), c.path("type").asText(),
                        c.path("client_name").asText(""), c.path("scope").asText(""));
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a client; its tokens stop working at once.")
    static final class Remove implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AdminOptions server = new AdminOptions();
        @Parameters(index = "0", description = "The client id.")
        String id;

        @Override
        public Integer call() {
            new AdminClient(server.server).admin("DELETE", "/clients/" + java.net.URLEncoder.encode(id,
                    java.nio.charset.StandardCharsets.UTF_8), server.adminPassword, null);
            System.out.println("removed client '" + id + "'");
            return 0;
        }
    }
}
