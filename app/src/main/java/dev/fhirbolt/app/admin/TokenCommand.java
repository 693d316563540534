package dev.fhirbolt.app.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fhirbolt token}: a fresh access token for a backend-services client (client_credentials with a signed
 * client assertion), printed alone on standard output so that {@code --token "$(fhirbolt token ...)"} works.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a fresh access token for a backend-services client made with 'fhirbolt client add'.")
public final class TokenCommand implements Callable<Integer> {

    @Mixin
    ClientKeyOptions client = new ClientKeyOptions();
    @Option(names = "--server", description = "Base URL of the server (default: the one in the key file).")
    String server;

    @Override
    public Integer call() {
        RenewingToken tokens = client.tokens(server);
        RenewingToken.Token t = tokens.token();
        System.out.println(t.value());
        System.err.println("fhirbolt: token for '" + tokens.clientId() + "' with scope '" + t.scope() + "', valid until "
                + t.expires());
        return 0;
    }
}
