package dev.fhirbolt.authz.audit;

import static dev.fhirbolt.authz.audit.AuditEventContent.CLIENT_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.DCM_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.OBJECT_ROLE_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.PARTICIPATION_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.SOURCE_TYPE_SYSTEM;
import static dev.fhirbolt.authz.audit.AuditEventContent.USER_SYSTEM;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * The AuditEvent of a record as a HAPI model: what the generic write path (HAPI encoder, search indexer) would store.
 * The audit writer stores {@link AuditEventJson} and {@link AuditEventIndex} instead, which must equal what this
 * model gives (AuditEventFormsTest); the writer still uses the model for search parameters it does not know
 * (custom SearchParameters on AuditEvent).
 */
final class AuditEventModel {

    private AuditEventModel() {
    }

    static AuditEvent of(String id, AuditEventContent c) {
        AuditEvent e = new AuditEvent();
        e.setId(id);
        e.setType(new Coding(c.typeSystem(), c.typeCode(), c.typeDisplay()));
        e.addSubtype(new Coding(c.subtypeSystem(), c.subtype(), null));
        e.setAction(AuditEvent.AuditEventAction.fromCode(c.action()));
        e.setRecordedElement(recorded(c));
        e.setOutcome(AuditEvent.AuditEventOutcome.fromCode(c.outcome()));
        if (c.outcomeDesc() != null) {
            e.setOutcomeDesc(c.outcomeDesc());
        }
        AuditEvent.AuditEventAgentComponent who = e.addAgent();
        who.getType().addCoding(new Coding(PARTICIPATION_SYSTEM, "IRCP", "information recipient"));
        who.setWho(userReference(c));
        who.setAltId(c.user());
        who.setName(c.user());
        who.setRequestor(true);
        if (c.remoteAddress() != null) {
            who.getNetwork().setAddress(c.remoteAddress()).setType(AuditEvent.AuditEventAgentNetworkType._2);
        }
        if (c.clientId() != null) {
            AuditEvent.AuditEventAgentComponent app = e.addAgent();
            app.getType().addCoding(new Coding(DCM_SYSTEM, "110150", "Application"));
            app.setWho(clientReference(c));
            app.setAltId(c.clientId());
            app.setName(c.clientId());
            app.setRequestor(false);
        }
        e.getSource().setSite(c.site()).setObserver(observer())
                .addType(new Coding(SOURCE_TYPE_SYSTEM, "4", "Application Server"));
        if (c.hasSubjectEntity()) {
            AuditEvent.AuditEventEntityComponent what = e.addEntity();
            if (c.resource() != null) {
                what.setWhat(new Reference(c.resource()));
            }
            if (c.request() != null) {
                what.setDescription(c.request());
            }
            if (c.query() != null) {
                what.setQuery(c.query().getBytes(StandardCharsets.UTF_8));
            }
        }
        if (c.patient() != null) {
            e.addEntity().setWhat(new Reference(c.patient())).setRole(patientRole());
        }
        return e;
    }

    /** In UTC with a Z, as meta.lastUpdated is, whatever the server's time zone. */
    static InstantType recorded(AuditEventContent c) {
        InstantType recorded = new InstantType(Date.from(c.recorded()), TemporalPrecisionEnum.MILLI,
                TimeZone.getTimeZone("UTC"));
        recorded.setTimeZoneZulu(true);
        return recorded;
    }

    static Reference userReference(AuditEventContent c) {
        if (c.fhirUser() != null) {
            return new Reference(c.fhirUser()).setDisplay(c.userDisplay());
        }
        return new Reference().setIdentifier(new Identifier().setSystem(USER_SYSTEM).setValue(c.user()));
    }

    static Reference clientReference(AuditEventContent c) {
        return new Reference().setIdentifier(new Identifier().setSystem(CLIENT_SYSTEM).setValue(c.clientId()))
                .setDisplay(c.clientId());
    }

    static Reference observer() {
        return new Reference().setDisplay(AuditEventContent.OBSERVER);
    }

    static Coding patientRole() {
        return new Coding(OBJECT_ROLE_SYSTEM, "1", "Patient");
    }
}
