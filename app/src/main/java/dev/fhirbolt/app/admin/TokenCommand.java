package dev.fhirbolt.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fhirbolt token}: a fresh access token for a backend-services client (client_credentials with a signed
 * client assertion), printed alone on standard output so that {@code --token "$(fhirbolt token ...)"} works.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a fresh access token for a backend-services client made with 'fhirbolt client add'.")
public final class TokenCommand implements Callable<Integer> {

    @Option(names = "--client", description = "The client id (its key file is ~/.fhirbolt/clients/<id>.json).")
    String client;
    @Option(names = "--key-file", description = "The client's key file (instead of --client).")
    Path keyFile;
    @Option(names = "--scope", description = "The scopes to ask for (default: all the client was registered with).")
    String scope;
    @Option(names = "--server", description = "Base URL of the server (default: the one in the key file).")
    String server;

    @Override
    public Integer call() throws JOSEException {
        if (client == null && keyFile == null) {
            throw new CommandException("say which client: --client <id> or --key-file <file>");
        }
        KeyFile key = KeyFile.read(keyFile != null ? keyFile : KeyFile.defaultPath(client));
        AdminClient http = new AdminClient(server != null ? server : key.server());
        JsonNode smart = http.get("/.well-known/smart-configuration");
        String tokenUrl = smart.path("token_endpoint").asText(http.server() + "/auth/token");
        String assertion = assertion(key, tokenUrl);
        String form = "grant_type=client_credentials&scope=" + enc(scope != null ? scope : key.scope())
                + "&client_assertion_type=" + enc("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + enc(assertion);
        JsonNode t = http.form(tokenUrl, form);
        System.out.println(t.path("access_token").asText());
        System.err.println("fhirbolt: token for '" + key.clientId() + "' with scope '" + t.path("scope").asText()
                + "', valid " + t.path("expires_in").asLong() + " s");
        return 0;
    }

    static String assertion(KeyFile key, String tokenUrl) {
        return ClientAssertions.sign(key.clientId(), key.key(), tokenUrl);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
