package dev.fhirbolt.authz.audit;

import static dev.fhirbolt.authz.audit.AuditEventContent.CLIENT_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.DCM_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.OBJECT_ROLE_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.PARTICIPATION_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.SOURCE_TYPE_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.USER_SYSTEM;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.fhirbolt.fhir.StampableJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes an AuditEvent's JSON straight from its content with Jackson's streaming generator (when it is read, and for
 * the log file): the same compact JSON, field for field and in the same order, that HAPI's encoder gives for the same
 * event built as a HAPI model (proven by AuditEventFormsTest), at a small fraction of the cost.
 */
final class AuditEventJson {

    private static final JsonFactory JSON = new JsonFactory();

    private AuditEventJson() {
    }

    /** The JSON with the version placeholder in meta, ready for {@link StampableJson#ofEncoded}. */
    static byte[] write(String id, AuditEventContent c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "AuditEvent");
            g.writeStringField("id", id);
            g.writeObjectFieldStart("meta");
            g.writeStringField("versionId", StampableJson.VERSION_PLACEHOLDER);
            g.writeEndObject();
            g.writeFieldName("type");
            coding(g, c.typeSystem(), c.typeCode(), c.typeDisplay());
            g.writeArrayFieldStart("subtype");
            coding(g, c.subtypeSystem(), c.subtype(), null);
            g.writeEndArray();
            g.writeStringField("action", c.action());
            g.writeStringField("recorded", StampableJson.formatInstant(c.recorded()));
            g.writeStringField("outcome", c.outcome());
            optional(g, "outcomeDesc", c.outcomeDesc());
            g.writeArrayFieldStart("agent");
            userAgent(g, c);
            if (c.clientId() != null) {
                clientAgent(g, c);
            }
            g.writeEndArray();
            g.writeObjectFieldStart("source");
            g.writeStringField("site", c.site());
            g.writeObjectFieldStart("observer");
            g.writeStringField("display", AuditEventContent.OBSERVER);
            g.writeEndObject();
            g.writeArrayFieldStart("type");
            coding(g, SOURCE_TYPE_SYSTEM, "4", "Application Server");
            g.writeEndArray();
            g.writeEndObject();
            if (c.hasSubjectEntity() || c.patient() != null) {
                g.writeArrayFieldStart("entity");
                if (c.hasSubjectEntity()) {
                    g.writeStartObject();
                    if (c.resource() != null) {
                        reference(g, "what", c.resource());
                    }
                    optional(g, "description", c.request());
                    if (c.query() != null) {
                        g.writeStringField("query",
                                Base64.getEncoder().encodeToString(c.query().getBytes(StandardCharsets.UTF_8)));
                    }
                    g.writeEndObject();
                }
                if (c.patient() != null) {
                    g.writeStartObject();
                    reference(g, "what", c.patient());
                    g.writeFieldName("role");
                    coding(g, OBJECT_ROLE_SYSTEM, "1", "Patient");
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void userAgent(JsonGenerator g, AuditEventContent c) throws IOException {
        g.writeStartObject();
        agentType(g, PARTICIPATION_SYSTEM, "IRCP", "information recipient");
        g.writeObjectFieldStart("who");
        if (c.fhirUser() != null) {
            g.writeStringField("reference", c.fhirUser());
            optional(g, "display", c.userDisplay());
        } else {
            identifier(g, USER_SYSTEM, c.user());
        }
        g.writeEndObject();
        g.writeStringField("altId", c.user());
        g.writeStringField("name", c.user());
        g.writeBooleanField("requestor", true);
        if (c.remoteAddress() != null) {
            g.writeObjectFieldStart("network");
            g.writeStringField("address", c.remoteAddress());
            g.writeStringField("type", "2");
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void clientAgent(JsonGenerator g, AuditEventContent c) throws IOException {
        g.writeStartObject();
        agentType(g, DCM_SYSTEM, "110150", "Application");
        g.writeObjectFieldStart("who");
        identifier(g, CLIENT_SYSTEM, c.clientId());
        g.writeStringField("display", c.clientId());
        g.writeEndObject();
        g.writeStringField("altId", c.clientId());
        g.writeStringField("name", c.clientId());
        g.writeBooleanField("requestor", false);
        g.writeEndObject();
    }

    private static void agentType(JsonGenerator g, String system, String code, String display) throws IOException {
        g.writeObjectFieldStart("type");
        g.writeArrayFieldStart("coding");
        coding(g, system, code, display);
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void identifier(JsonGenerator g, String system, String value) throws IOException {
        g.writeObjectFieldStart("identifier");
        g.writeStringField("system", system);
        g.writeStringField("value", value);
        g.writeEndObject();
    }

    private static void reference(JsonGenerator g, String field, String reference) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("reference", reference);
        g.writeEndObject();
    }

    private static void coding(JsonGenerator g, String system, String code, String display) throws IOException {
        g.writeStartObject();
        g.writeStringField("system", system);
        g.writeStringField("code", code);
        optional(g, "display", display);
        g.writeEndObject();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
