package dev.fhirbolt.subscriptions;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.ResourceReader;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The backport's notification Bundles (type history): first a {@code SubscriptionStatus} Parameters entry
 * (subscription, topic, status, type, events-since-subscription-start, a notification-event per event), then the
 * events' resources as the subscription's content asks (empty: none; id-only: fullUrl and request; full-resource:
 * the resource too).
 */
final class NotificationBundles {

    /** One event to notify: its number and the version it is about. */
    record Event(long number, ResourceVersion version) {
    }

    private NotificationBundles() {
    }

    static byte[] handshake(SubscriptionSpec spec, String baseUrl, long events) {
        return encode(bundle(spec, baseUrl, "handshake", events, List.of()));
    }

    static byte[] heartbeat(SubscriptionSpec spec, String baseUrl, long events) {
        return encode(bundle(spec, baseUrl, "heartbeat", events, List.of()));
    }

    static byte[] events(SubscriptionSpec spec, String baseUrl, long events, List<Event> list) {
        return encode(bundle(spec, baseUrl, "event-notification", events, list));
    }

    /** The status alone ({@code $status}). */
    static Parameters status(SubscriptionSpec spec, String baseUrl, String type, long events) {
        Parameters p = new Parameters();
        p.setId(UUID.randomUUID().toString());
        p.getMeta().addProfile(Backport.STATUS_PROFILE);
        p.addParameter().setName("subscription").setValue(new Reference(baseUrl + "/Subscription/" + spec.id()));
        p.addParameter().setName("topic").setValue(new CanonicalType(spec.topic().orElse("")));
        p.addParameter().setName("status").setValue(new CodeType(spec.status().code()));
        p.addParameter().setName("type").setValue(new CodeType(type));
        p.addParameter().setName("events-since-subscription-start").setValue(new StringType(Long.toString(events)));
        return p;
    }

    private static Bundle bundle(SubscriptionSpec spec, String baseUrl, String type, long events, List<Event> list) {
        Bundle b = new Bundle();
        b.setId(UUID.randomUUID().toString());
        b.setType(Bundle.BundleType.HISTORY);
        b.setTimestamp(new Date());
        Parameters status = status(spec, baseUrl, type, events);
        for (Event e : list) {
            Parameters.ParametersParameterComponent ne = status.addParameter().setName("notification-event");
            ne.addPart().setName("event-number").setValue(new StringType(Long.toString(e.number())));
            ne.addPart().setName("timestamp").setValue(new InstantType(Date.from(e.version().lastUpdated())));
            if (spec.content() != SubscriptionSpec.Content.EMPTY) {
                ne.addPart().setName("focus").setValue(new Reference(fullUrl(baseUrl, e.version())));
            }
        }
        Bundle.BundleEntryComponent first = b.addEntry().setFullUrl("urn:uuid:" + status.getId()).setResource(status);
        first.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Subscription/" + spec.id() + "/$status");
        first.getResponse().setStatus("200");
        if (spec.content() != SubscriptionSpec.Content.EMPTY) {
            for (Event e : list) {
                ResourceVersion v = e.version();
                Bundle.BundleEntryComponent entry = b.addEntry().setFullUrl(fullUrl(baseUrl, v));
                if (spec.content() == SubscriptionSpec.Content.FULL_RESOURCE && !v.deleted()) {
                    entry.setResource(ResourceReader.readStored(v.json()));
                }
                entry.getRequest().setMethod(v.deleted() ? Bundle.HTTPVerb.DELETE
                        : v.version() == 1 ? Bundle.HTTPVerb.POST : Bundle.HTTPVerb.PUT)
                        .setUrl(v.version() == 1 && !v.deleted() ? v.type() : v.type() + "/" + v.id());
                entry.getResponse().setStatus(v.deleted() ? "204" : v.version() == 1 ? "201" : "200");
            }
        }
        return b;
    }

    private static String fullUrl(String baseUrl, ResourceVersion v) {
        return baseUrl + "/" + v.type() + "/" + v.id() + "/_history/" + v.version();
    }

    private static byte[] encode(Bundle b) {
        return Fhir.context().newJsonParser().encodeResourceToString(b).getBytes(StandardCharsets.UTF_8);
    }
}
