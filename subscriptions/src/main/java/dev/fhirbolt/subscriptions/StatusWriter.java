package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.Writes;
import org.hl7.fhir.r4.model.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a subscription's status and error as a new version of the Subscription (what clients read), if the
 * resource has not moved on meanwhile (a client's update wins; the server writes again on its next attempt).
 */
final class StatusWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StatusWriter.class);

    private final ResourceStore store;
    private final Writes writes;

    StatusWriter(ResourceStore store, Writes writes) {
        this.store = store;
        this.writes = writes;
    }

    /** True when written (or already so). */
    boolean set(String id, SubscriptionSpec.Status status, String error) {
        ResourceVersion current = store.readCurrent("Subscription", id).filter(v -> !v.deleted()).orElse(null);
        if (current == null) {
            return false;
        }
        Subscription s = (Subscription) ResourceReader.readStored(current.json());
        String code = status.code();
        String oldError = s.hasError() ? s.getError() : null;
        if (s.getStatus() != null && code.equals(s.getStatus().toCode()) && java.util.Objects.equals(oldError, error)) {
            return true;
        }
        if (s.getStatus() == Subscription.SubscriptionStatus.OFF) {
            return false;
        }
        s.setStatus(Subscription.SubscriptionStatus.fromCode(code));
        s.setError(error);
        s.setMeta(s.getMeta().setVersionId(null).setLastUpdated(null));
        try {
            store.commit(Commit.of(writes.write(WriteMethod.UPDATE, "Subscription", id, s,
                    new Expectation.Version(current.version()))));
            return true;
        } catch (FhirException e) {
            LOG.debug("Subscription/{} moved on while its status was written: {}", id, e.getMessage());
            return false;
        }
    }
}
