package dev.fhirbolt.authz.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * What each AuditEvent search parameter selects in an event, read from its content: the one place that says it,
 * for the index terms ({@link AuditKeys#terms}) and for checking a candidate ({@link AuditQuery}). It follows the
 * JSON {@link AuditEventJson} writes (the parameters' FHIRPath on that JSON selects the same).
 */
final class AuditFields {

    static final String ACTION_SYSTEM = "http://hl7.org/fhir/audit-event-action";
    static final String OUTCOME_SYSTEM = "http://hl7.org/fhir/audit-event-outcome";

    private AuditFields() {
    }

    /** A coding a token parameter matches. */
    record Code(String system, String code) {
    }

    /** agent.who references (the user's fhirUser), as {@code Type/id}. */
    static List<String> agentReferences(AuditEventContent c) {
        return c.fhirUser() == null ? List.of() : List.of(local(c.fhirUser()));
    }

    /** {@code Type/id} of a reference, also of an absolute one; a bare id as it is. */
    static String local(String reference) {
        String[] parts = reference.split("/");
        return parts.length < 2 ? reference : parts[parts.length - 2] + "/" + parts[parts.length - 1];
    }

    /** agent.who identifiers as {@code system|value}: the user without a fhirUser, the client. */
    static List<String> agentIdentifiers(AuditEventContent c) {
        List<String> out = new ArrayList<>(2);
        if (c.fhirUser() == null) {
            out.add(AuditEventContent.USER_SYSTEM + "|" + c.user());
        }
        if (c.clientId() != null) {
            out.add(AuditEventContent.CLIENT_SYSTEM + "|" + c.clientId());
        }
        return out;
    }

    /** agent.name and agent.altId (the same values). */
    static List<String> agentNames(AuditEventContent c) {
        return c.clientId() == null ? List.of(c.user()) : List.of(c.user(), c.clientId());
    }

    /** entity.what. */
    static List<String> entities(AuditEventContent c) {
        List<String> out = new ArrayList<>(2);
        if (c.resource() != null) {
            out.add(c.resource());
        }
        if (c.patient() != null) {
            out.add(c.patient());
        }
        return out;
    }

    /** agent.who and entity.what that are Patients. */
    static List<String> patients(AuditEventContent c) {
        List<String> out = new ArrayList<>(2);
        for (String agent : agentReferences(c)) {
            if (agent.startsWith("Patient/")) {
                out.add(agent);
            }
        }
        for (String e : entities(c)) {
            if (e.startsWith("Patient/") && !out.contains(e)) {
                out.add(e);
            }
        }
        return out;
    }

    static List<String> addresses(AuditEventContent c) {
        return c.remoteAddress() == null ? List.of() : List.of(c.remoteAddress());
    }

    static List<Code> type(AuditEventContent c) {
        return List.of(new Code(c.typeSystem(), c.typeCode()));
    }

    static List<Code> subtype(AuditEventContent c) {
        return List.of(new Code(c.subtypeSystem(), c.subtype()));
    }

    static List<Code> action(AuditEventContent c) {
        return List.of(new Code(ACTION_SYSTEM, c.action()));
    }

    static List<Code> outcome(AuditEventContent c) {
        return List.of(new Code(OUTCOME_SYSTEM, c.outcome()));
    }

    static List<String> site(AuditEventContent c) {
        return List.of(c.site());
    }
}
