package dev.fhirbolt.authz.audit;

import java.time.Instant;

/**
 * What the AuditEvent of one record says, decided once, so that its JSON ({@link AuditEventJson}) and what its
 * search parameters select ({@link AuditFields}) cannot disagree.
 *
 * @param user        the user name, {@code anonymous} when there is none
 * @param userDisplay the display of the user's fhirUser reference (the user name as recorded, may be null)
 * @param query       the request's query string (after {@code ?}), stored base64-encoded in entity.query, or null
 * @param patient     {@code Patient/<id>} of the token's patient when it is not already the resource acted upon
 */
record AuditEventContent(boolean rest, String subtype, String action, Instant recorded, String outcome,
        String outcomeDesc, String user, String userDisplay, String fhirUser, String remoteAddress, String clientId,
        String site, String resource, String request, String query, String patient) {

    static final String EVENT_SYSTEM = "https://fhirbolt.dev/CodeSystem/audit-event";
    static final String USER_SYSTEM = EVENT_SYSTEM + "/user";
    static final String CLIENT_SYSTEM = EVENT_SYSTEM + "/client";
    static final String REST_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    static final String PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    static final String DCM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String SOURCE_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/security-source-type";
    static final String OBJECT_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/object-role";
    static final String OBSERVER = "Fhirbolt";

    static AuditEventContent of(AuditRecord r, String site) {
        String outcome = r.success() ? "0" : r.outcomeText() != null && r.outcomeText().startsWith("5") ? "8" : "4";
        String action = switch (r.action()) {
            case "C", "R", "U", "D" -> r.action();
            default -> "E";
        };
        String query = null;
        if (r.request() != null) {
            int q = r.request().indexOf('?');
            if (q > 0) {
                query = r.request().substring(q + 1);
            }
        }
        String patient = r.patient() == null || ("Patient/" + r.patient()).equals(r.resource()) ? null
                : "Patient/" + r.patient();
        return new AuditEventContent("rest".equals(r.category()), r.subtype(), action, r.at(), outcome,
                r.outcomeText(), r.user() == null ? "anonymous" : r.user(), r.user(), r.fhirUser(), r.remoteAddress(),
                r.clientId(), site, r.resource(), r.request(), query, patient);
    }

    String typeSystem() {
        return rest ? REST_TYPE_SYSTEM : EVENT_SYSTEM;
    }

    String typeCode() {
        return rest ? "rest" : "authorization";
    }

    String typeDisplay() {
        return rest ? "Restful Operation" : "Authorization event";
    }

    String subtypeSystem() {
        return rest ? INTERACTION_SYSTEM : EVENT_SYSTEM;
    }

    /** Whether entity[0] (the resource acted upon and the request) has anything to say. */
    boolean hasSubjectEntity() {
        return resource != null || request != null;
    }
}
