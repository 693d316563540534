package dev.fhirbolt.console;

import java.time.Clock;
import java.util.function.Function;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;

/**
 * The web console: put {@link #handler()} before the auth and FHIR handlers in a {@code Handler.Sequence}.
 *
 * <pre>{@code
 * LocalConnector local = new LocalConnector(server, new HttpConnectionFactory(httpConfig));
 * server.addConnector(local);
 * Console console = new Console(ConsoleSettings.of(secured), baseUrl, new LocalGateway(local), status);
 * }</pre>
 *
 * With security on, register {@link ConsoleSettings#CLIENT_ID} as a public client whose redirect URI is the base
 * URL followed by {@link ConsoleSettings#CALLBACK}.
 */
public final class Console {

    private final Handler handler;

    public Console(ConsoleSettings settings, Function<Request, String> baseUrl, FhirGateway gateway,
            ServerStatus status) {
        this(settings, baseUrl, gateway, status, AuditTokens.NONE);
    }

    /** @param auditTokens how the audit page reads AuditEvents (see {@link AuditTokens}) */
    public Console(ConsoleSettings settings, Function<Request, String> baseUrl, FhirGateway gateway,
            ServerStatus status, AuditTokens auditTokens) {
        this.handler = new ConsoleHandler(settings, baseUrl, gateway, status, Clock.systemUTC(), auditTokens);
    }

    public Handler handler() {
        return handler;
    }
}
