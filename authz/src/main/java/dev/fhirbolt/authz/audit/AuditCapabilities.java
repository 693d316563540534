package dev.fhirbolt.authz.audit;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;

/**
 * Declares AuditEvent as {@link AuditEventInteractions} serves it: read, vread and search-type with the parameters
 * {@link AuditQuery} answers, nothing written by clients, no history, no includes, no operations. Runs after the
 * contributors that describe every type.
 */
public final class AuditCapabilities implements CapabilityContributor {

    private static final String DEFINITION = "http://hl7.org/fhir/SearchParameter/";

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            for (CapabilityStatementRestResourceComponent r : rest.getResource()) {
                if (r.getType().equals(AuditStore.TYPE)) {
                    describe(r);
                }
            }
        }
    }

    private static void describe(CapabilityStatementRestResourceComponent r) {
        r.getInteraction().clear();
        r.addInteraction().setCode(TypeRestfulInteraction.READ);
        r.addInteraction().setCode(TypeRestfulInteraction.VREAD);
        r.addInteraction().setCode(TypeRestfulInteraction.SEARCHTYPE);
        r.setVersioning(CapabilityStatement.ResourceVersionPolicy.NOVERSION);
        r.setReadHistory(false);
        r.setUpdateCreate(false);
        r.setConditionalCreate(false);
        r.setConditionalUpdate(false);
        r.setConditionalRead(CapabilityStatement.ConditionalReadStatus.NOTSUPPORTED);
        r.setConditionalDelete(CapabilityStatement.ConditionalDeleteStatus.NOTSUPPORTED);
        r.getSearchInclude().clear();
        r.getSearchRevInclude().clear();
        r.getSearchParam().clear();
        AuditQuery.PARAMETERS.forEach((name, type) -> r.addSearchParam().setName(name)
                .setDefinition(DEFINITION + (name.startsWith("_") ? "Resource-" + name.substring(1)
                        : "AuditEvent-" + name))
                .setType(Enumerations.SearchParamType.fromCode(type)));
        r.getOperation().clear();
        r.setDocumentation("Served from the server's append-only audit log: read, vread (version 1) and search"
                + " (sorted by date, _sort=date or -date); create, update, patch, delete and history answer 405."
                + " Not part of system searches, $everything, bulk export or history.");
    }
}
