package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import java.util.List;

/** The changes of one transaction {@code t} that match a subscription, in commit order. */
public record Notification(long t, List<ResourceVersion> changes) {

    public Notification {
        changes = List.copyOf(changes);
    }
}
