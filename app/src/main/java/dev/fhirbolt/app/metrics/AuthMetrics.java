package dev.fhirbolt.app.metrics;

import dev.fhirbolt.auth.AuthEvent;
import dev.fhirbolt.auth.AuthEventListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The authorization server's events: sign-ins, consents, tokens issued, refreshed and revoked, and errors. */
final class AuthMetrics implements AuthEventListener {

    private final MeterRegistry registry;

    AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (AuthEvent.Action action : AuthEvent.Action.values()) {
            counter(action, true);
            counter(action, false);
        }
    }

    private Counter counter(AuthEvent.Action action, boolean success) {
        return Counter.builder("fhirbolt.auth.events").description("Authorization server events")
                .tag("action", action.code()).tag("outcome", success ? "success" : "failure").register(registry);
    }

    @Override
    public void onEvent(AuthEvent event) {
        counter(event.action(), event.success()).increment();
    }
}
