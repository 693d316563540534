package dev.fhirbolt.subscriptions.channel;

import dev.fhirbolt.subscriptions.SubscriptionSpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * rest-hook: an HTTP call to the subscriber's endpoint with the subscription's headers, bounded by the
 * subscription's timeout (10 s unless the backport timeout says otherwise). Any 2xx is a delivery.
 */
public final class RestHookChannel implements Channel {

    private static final String FHIR_JSON = "application/fhir+json";

    /**
     * Made when the first notification is sent (class holder): building an HttpClient starts its selector thread
     * and loads a few hundred classes, a tenth of a second of every start-up otherwise, most servers have no
     * rest-hook subscription.
     */
    private static final class Shared {
        static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void send(SubscriptionSpec spec, Message message) throws DeliveryException {
        String endpoint = spec.endpoint();
        HttpRequest.Builder request;
        try {
            if (message.bundle()) {
                request = HttpRequest.newBuilder(URI.create(endpoint)).header("Content-Type", FHIR_JSON)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(message.body().orElseThrow()));
            } else if (spec.payload().isPresent() && message.body().isPresent()) {
                String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
                request = HttpRequest.newBuilder(URI.create(base + "/" + message.resourcePath().orElseThrow()))
                        .header("Content-Type", FHIR_JSON)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(message.body().get()));
            } else {
                request = HttpRequest.newBuilder(URI.create(endpoint)).POST(HttpRequest.BodyPublishers.noBody());
            }
        } catch (IllegalArgumentException e) {
            throw new DeliveryException("the rest-hook endpoint '" + endpoint + "' is not a usable URL", true);
        }
        request.timeout(Duration.ofSeconds(spec.timeoutSeconds()));
        for (String header : spec.headers()) {
            int colon = header.indexOf(':');
            try {
                request.header(header.substring(0, colon).trim(), header.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new DeliveryException("Subscription.channel.header '" + header.substring(0, colon)
                        + "' cannot be sent", true);
            }
        }
        HttpResponse<Void> response;
        try {
            response = Shared.HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " did not answer within "
                    + spec.timeoutSeconds() + " s", true);
        } catch (IOException e) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " could not be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("delivery interrupted (server stopping)", false);
        }
        if (response.statusCode() / 100 != 2) {
            throw new DeliveryException("the rest-hook endpoint " + endpoint + " answered HTTP "
                    + response.statusCode(), true);
        }
    }
}
