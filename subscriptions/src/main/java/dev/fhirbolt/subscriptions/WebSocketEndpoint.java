package dev.fhirbolt.subscriptions;

import dev.fhirbolt.subscriptions.channel.WebSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The websocket endpoint ({@code /websocket}, advertised in the CapabilityStatement). A client binds with
 * {@code bind <subscription id>} (R4; refused when security is on) or {@code bind-with-token <token>} (a token from
 * {@code $get-ws-binding-token}); the server answers {@code bound <id>} (R4) or a handshake Bundle (topic-based), then
 * sends {@code ping <id>} or notification Bundles. Anything else gets {@code error <reason>}.
 */
public final class WebSocketEndpoint {

    public static final String PATH = "/websocket";

    private final SubscriptionService service;
    private final BindingTokens tokens;
    private final boolean tokenRequired;
    private final java.util.function.Supplier<String> baseUrl;

    public WebSocketEndpoint(SubscriptionService service, BindingTokens tokens, boolean tokenRequired,
            java.util.function.Supplier<String> baseUrl) {
        this.service = service;
        this.tokens = tokens;
        this.tokenRequired = tokenRequired;
        this.baseUrl = baseUrl;
    }

    /** {@code ws://host:port/websocket} for a FHIR base URL {@code http://host:port/...}. */
    public static String url(String fhirBase) {
        java.net.URI base = java.net.URI.create(fhirBase);
        String scheme = "https".equals(base.getScheme()) ? "wss" : "ws";
        return scheme + "://" + base.getRawAuthority() + PATH;
    }

    /** A Jetty handler answering websocket upgrades on {@link #PATH} (and passing on everything else). */
    public Handler handler(Server server) {
        return WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(java.time.Duration.ofHours(1));
            container.setMaxTextMessageSize(4096);
            container.addMapping(PATH, (request, response, callback) -> new Connection());
        });
    }

    /** One client connection (public: Jetty calls its methods through public method handles). */
    public final class Connection extends Session.Listener.AbstractAutoDemanding
            implements WebSocketChannel.Client {

        @Override
        public void onWebSocketText(String message) {
            String text = message.trim();
            if (text.startsWith("bind-with-token ")) {
                Optional<String> id = tokens.redeem(text.substring("bind-with-token ".length()).trim());
                if (id.isEmpty()) {
                    reply("error the binding token is unknown, used or expired: get one from"
                            + " Subscription/[id]/$get-ws-binding-token");
                    return;
                }
                bind(id.get());
            } else if (text.startsWith("bind ")) {
                if (tokenRequired) {
                    reply("error security is on: get a token from Subscription/[id]/$get-ws-binding-token and send"
                            + " 'bind-with-token <token>'");
                    return;
                }
                bind(text.substring("bind ".length()).trim());
            } else {
                reply("error send 'bind <subscription id>' or 'bind-with-token <token>'");
            }
        }

        private void bind(String id) {
            Optional<Map.Entry<SubscriptionSpec, Long>> found = service.status(id);
            if (found.isEmpty() || found.get().getKey().channel() != SubscriptionSpec.ChannelType.WEBSOCKET) {
                reply("error Subscription/" + id + " is not an active websocket subscription");
                return;
            }
            SubscriptionSpec spec = found.get().getKey();
            if (spec.topicBased()) {
                reply(new String(NotificationBundles.handshake(spec, baseUrl.get(), found.get().getValue()),
                        StandardCharsets.UTF_8));
            } else {
                reply("bound " + id);
            }
            service.websocket().bind(id, this);
        }

        private void reply(String text) {
            sendText(text, 10, TimeUnit.SECONDS);
        }

        @Override
        public boolean sendText(String text, long timeout, TimeUnit unit) {
            Session session = getSession();
            if (session == null || !session.isOpen()) {
                return false;
            }
            Callback.Completable done = new Callback.Completable();
            synchronized (this) {
                session.sendText(text, done);
            }
            try {
                done.get(timeout, unit);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return false;
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            service.websocket().unbind(this);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            service.websocket().unbind(this);
        }
    }
}
