package dev.fhirbolt.authz.audit;

import dev.fhirbolt.database.KvEntry;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.SearchParameterRegistry;
import dev.fhirbolt.search.index.ResourceIndexer;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * The search index entries of an AuditEvent, computed from its content instead of evaluating every parameter's
 * FHIRPath on a HAPI model: each known parameter gets the elements its path would select, built directly, and the
 * search module's own encoders and key builders turn them into entries, so a change of the key format there applies
 * here too. AuditEventFormsTest proves the entries equal the generic indexer's. Parameters this class does not know
 * (custom SearchParameters on AuditEvent) are evaluated the generic way on {@link AuditEventModel}.
 */
final class AuditEventIndex {

    private static final String TYPE = "AuditEvent";

    private final SearchParameterRegistry registry;

    AuditEventIndex(SearchParameterRegistry registry) {
        this.registry = registry;
    }

    /** Every entry but _lastUpdated's (see {@link SearchIndexer#withLastUpdated}). */
    List<KvEntry> entries(String id, AuditEventContent c) {
        AuditEvent[] model = new AuditEvent[1];
        return ResourceIndexer.entries(TYPE, id,
                registry.forType(TYPE).values(), param -> {
                    List<? extends IBase> elements = elements(param.code(), id, c);
                    if (elements == null) {
                        if (model[0] == null) {
                            model[0] = AuditEventModel.of(id, c);
                        }
                        return ResourceIndexer.values(model[0], param, registry::byUrl);
                    }
                    return ResourceIndexer.encode(elements, param, registry::byUrl);
                });
    }

    /** What the parameter's path selects in the event of this content; null for a parameter not known here. */
    static List<? extends IBase> elements(String code, String id, AuditEventContent c) {
        return switch (code) {
            case "_id" -> List.of(new IdType(id));
            case "type" -> List.of(new Coding(c.typeSystem(), c.typeCode(), c.typeDisplay()));
            case "subtype" -> List.of(new Coding(c.subtypeSystem(), c.subtype(), null));
            case "action" -> List.of(new Enumeration<>(new AuditEvent.AuditEventActionEnumFactory(),
                    AuditEvent.AuditEventAction.fromCode(c.action())));
            case "outcome" -> List.of(new Enumeration<>(new AuditEvent.AuditEventOutcomeEnumFactory(),
                    AuditEvent.AuditEventOutcome.fromCode(c.outcome())));
            case "date" -> List.of(AuditEventModel.recorded(c));
            case "site" -> List.of(new StringType(c.site()));
            case "source" -> List.of(AuditEventModel.observer());
            case "agent" -> agents(c);
            case "altid", "agent-name" -> c.clientId() == null ? List.of(new StringType(c.user()))
                    : List.of(new StringType(c.user()), new StringType(c.clientId()));
            case "address" -> c.remoteAddress() == null ? List.of() : List.of(new StringType(c.remoteAddress()));
            case "entity" -> entities(c);
            case "entity-role" -> c.patient() == null ? List.of() : List.of(AuditEventModel.patientRole());
            case "patient" -> patients(c);
            case "agent-role", "policy", "entity-type", "entity-name", "_security", "_tag", "_profile", "_source" ->
                    List.of();
            default -> null;
        };
    }

    private static List<Reference> agents(AuditEventContent c) {
        Reference user = AuditEventModel.userReference(c);
        return c.clientId() == null ? List.of(user) : List.of(user, AuditEventModel.clientReference(c));
    }

    private static List<Reference> entities(AuditEventContent c) {
        List<Reference> out = new ArrayList<>(2);
        if (c.resource() != null) {
            out.add(new Reference(c.resource()));
        }
        if (c.patient() != null) {
            out.add(new Reference(c.patient()));
        }
        return out;
    }

    /** agent.who and entity.what that are Patients. */
    private static List<Reference> patients(AuditEventContent c) {
        List<Reference> out = new ArrayList<>(3);
        if (c.fhirUser() != null && isPatient(c.fhirUser())) {
            out.add(new Reference(c.fhirUser()));
        }
        for (Reference r : entities(c)) {
            if (isPatient(r.getReference())) {
                out.add(r);
            }
        }
        return out;
    }

    private static boolean isPatient(String reference) {
        return "Patient".equals(new IdType(reference).getResourceType());
    }
}
