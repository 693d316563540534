package dev.fhirbolt.subscriptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.fhirbolt.database.ResourceVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The backport's notification Bundles (type history): first a {@code SubscriptionStatus} Parameters entry
 * (subscription, topic, status, type, events-since-subscription-start, a notification-event per event), then the
 * events' resources as the subscription's content asks (empty: none; id-only: fullUrl and request; full-resource:
 * the resource too). Written straight to JSON with the stored resources spliced in as they are: nothing is parsed or
 * encoded per subscriber but the few status fields.
 */
final class NotificationBundles {

    private static final JsonFactory JSON = new JsonFactory();

    /** One event to notify: its number and the version it is about. */
    record Event(long number, ResourceVersion version) {
    }

    private NotificationBundles() {
    }

    static byte[] handshake(SubscriptionSpec spec, String baseUrl, long events) {
        return bundle(spec, baseUrl, "handshake", events, List.of(), spec.content());
    }

    static byte[] heartbeat(SubscriptionSpec spec, String baseUrl, long events) {
        return bundle(spec, baseUrl, "heartbeat", events, List.of(), spec.content());
    }

    static byte[] events(SubscriptionSpec spec, String baseUrl, long events, List<Event> list) {
        return bundle(spec, baseUrl, "event-notification", events, list, spec.content());
    }

    /** The answer of {@code $events}: past events again, as a query-event notification with the content asked. */
    static byte[] queryEvents(SubscriptionSpec spec, String baseUrl, long events, List<Event> list,
            SubscriptionSpec.Content content) {
        return bundle(spec, baseUrl, "query-event", events, list, content);
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

    private static byte[] bundle(SubscriptionSpec spec, String baseUrl, String type, long events, List<Event> list,
            SubscriptionSpec.Content content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            g.writeStringField("id", UUID.randomUUID().toString());
            g.writeStringField("type", "history");
            g.writeStringField("timestamp", Instant.now().toString());
            g.writeArrayFieldStart("entry");
            String statusId = UUID.randomUUID().toString();
            g.writeStartObject();
            g.writeStringField("fullUrl", "urn:uuid:" + statusId);
            g.writeFieldName("resource");
            writeStatus(g, spec, baseUrl, type, events, list, statusId, content);
            writeRequest(g, "GET", "Subscription/" + spec.id() + "/$status", "200");
            g.writeEndObject();
            if (content != SubscriptionSpec.Content.EMPTY) {
                for (Event e : list) {
                    writeEntry(g, content, baseUrl, e.version());
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeStatus(JsonGenerator g, SubscriptionSpec spec, String baseUrl, String type, long events,
            List<Event> list, String id, SubscriptionSpec.Content content) throws IOException {
        g.writeStartObject();
        g.writeStringField("resourceType", "Parameters");
        g.writeStringField("id", id);
        g.writeObjectFieldStart("meta");
        g.writeArrayFieldStart("profile");
        g.writeString(Backport.STATUS_PROFILE);
        g.writeEndArray();
        g.writeEndObject();
        g.writeArrayFieldStart("parameter");
        writeReference(g, "subscription", baseUrl + "/Subscription/" + spec.id());
        writeValue(g, "topic", "valueCanonical", spec.topic().orElse(""));
        writeValue(g, "status", "valueCode", spec.status().code());
        writeValue(g, "type", "valueCode", type);
        writeValue(g, "events-since-subscription-start", "valueString", Long.toString(events));
        for (Event e : list) {
            g.writeStartObject();
            g.writeStringField("name", "notification-event");
            g.writeArrayFieldStart("part");
            writeValue(g, "event-number", "valueString", Long.toString(e.number()));
            writeValue(g, "timestamp", "valueInstant", e.version().lastUpdated().toString());
            if (content != SubscriptionSpec.Content.EMPTY) {
                writeReference(g, "focus", fullUrl(baseUrl, e.version()));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeEntry(JsonGenerator g, SubscriptionSpec.Content content, String baseUrl,
            ResourceVersion v) throws IOException {
        g.writeStartObject();
        g.writeStringField("fullUrl", fullUrl(baseUrl, v));
        if (content == SubscriptionSpec.Content.FULL_RESOURCE && !v.deleted()) {
            g.writeFieldName("resource");
            g.writeRawValue(new String(v.json(), StandardCharsets.UTF_8));
        }
        boolean created = v.version() == 1 && !v.deleted();
        writeRequest(g, v.deleted() ? "DELETE" : created ? "POST" : "PUT",
                created ? v.type() : v.type() + "/" + v.id(), v.deleted() ? "204" : created ? "201" : "200");
        g.writeEndObject();
    }

    private static void writeRequest(JsonGenerator g, String method, String url, String status) throws IOException {
        g.writeObjectFieldStart("request");
        g.writeStringField("method", method);
        g.writeStringField("url", url);
        g.writeEndObject();
        g.writeObjectFieldStart("response");
        g.writeStringField("status", status);
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, String name, String field, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField(field, value);
        g.writeEndObject();
    }

    private static void writeReference(JsonGenerator g, String name, String reference) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeObjectFieldStart("valueReference");
        g.writeStringField("reference", reference);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String fullUrl(String baseUrl, ResourceVersion v) {
        return baseUrl + "/" + v.type() + "/" + v.id() + "/_history/" + v.version();
    }
}
