package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.ConditionalDeleteStatus;
import org.hl7.fhir.r4.model.CapabilityStatement.ConditionalReadStatus;
import org.hl7.fhir.r4.model.CapabilityStatement.ResourceVersionPolicy;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations;

/** GET /metadata: a CapabilityStatement derived from the interactions and operations actually registered. */
public final class CapabilitiesInteraction implements Interaction {

    private final Supplier<FhirApi> api;
    private final List<CapabilityContributor> contributors;
    private final String softwareVersion;
    private final boolean multipleDeletes;

    public CapabilitiesInteraction(Supplier<FhirApi> api, List<CapabilityContributor> contributors,
            String softwareVersion, boolean multipleDeletes) {
        this.api = api;
        this.contributors = List.copyOf(contributors);
        this.softwareVersion = softwareVersion;
        this.multipleDeletes = multipleDeletes;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        FhirApi fhirApi = api.get();
        Set<InteractionKind> kinds = fhirApi.supportedInteractions();
        CapabilityStatement cs = new CapabilityStatement();
        cs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        cs.setDate(new Date());
        cs.setKind(CapabilityStatement.CapabilityStatementKind.INSTANCE);
        cs.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        cs.setName("Fhirbolt");
        cs.setTitle("Fhirbolt FHIR R4 server");
        cs.getSoftware().setName("Fhirbolt").setVersion(softwareVersion);
        cs.getImplementation().setDescription("Fhirbolt").setUrl(request.baseUrl());
        cs.addFormat("application/fhir+json").addFormat("application/fhir+xml").addFormat("json").addFormat("xml");
        CapabilityStatementRestComponent rest = cs.addRest();
        rest.setMode(CapabilityStatement.RestfulCapabilityMode.SERVER);
        for (String type : Fhir.resourceTypes()) {
            rest.addResource(resource(type, kinds));
        }
        if (kinds.contains(InteractionKind.BATCH)) {
            rest.addInteraction().setCode(SystemRestfulInteraction.TRANSACTION);
            rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
        }
        if (kinds.contains(InteractionKind.SEARCH_SYSTEM)) {
            rest.addInteraction().setCode(SystemRestfulInteraction.SEARCHSYSTEM);
        }
        if (kinds.contains(InteractionKind.HISTORY_SYSTEM)) {
            rest.addInteraction().setCode(SystemRestfulInteraction.HISTORYSYSTEM);
        }
        for (Operation op : fhirApi.operations()) {
            if (op.levels().contains(Operation.Level.SYSTEM)) {
                rest.addOperation().setName(op.name()).setDefinition(op.definition());
            }
            for (CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                boolean typeLevel = op.levels().contains(Operation.Level.TYPE)
                        || op.levels().contains(Operation.Level.INSTANCE);
                if (typeLevel && (op.types().isEmpty() || op.types().contains(resource.getType()))) {
                    resource.addOperation().setName(op.name()).setDefinition(op.definition());
                }
            }
        }
        contributors.forEach(c -> c.contribute(cs, request));
        return FhirResponse.of(200, new ResponseBody.Model(cs));
    }

    private CapabilityStatementRestResourceComponent resource(String type, Set<InteractionKind> kinds) {
        var r = new CapabilityStatementRestResourceComponent();
        r.setType(type);
        r.setProfile("http://hl7.org/fhir/StructureDefinition/" + type);
        add(r, kinds, InteractionKind.READ, TypeRestfulInteraction.READ);
        add(r, kinds, InteractionKind.VREAD, TypeRestfulInteraction.VREAD);
        add(r, kinds, InteractionKind.UPDATE, TypeRestfulInteraction.UPDATE);
        add(r, kinds, InteractionKind.PATCH, TypeRestfulInteraction.PATCH);
        add(r, kinds, InteractionKind.DELETE, TypeRestfulInteraction.DELETE);
        add(r, kinds, InteractionKind.HISTORY_INSTANCE, TypeRestfulInteraction.HISTORYINSTANCE);
        add(r, kinds, InteractionKind.HISTORY_TYPE, TypeRestfulInteraction.HISTORYTYPE);
        add(r, kinds, InteractionKind.CREATE, TypeRestfulInteraction.CREATE);
        add(r, kinds, InteractionKind.SEARCH_TYPE, TypeRestfulInteraction.SEARCHTYPE);
        r.setVersioning(ResourceVersionPolicy.VERSIONEDUPDATE);
        r.setReadHistory(kinds.contains(InteractionKind.VREAD));
        r.setUpdateCreate(kinds.contains(InteractionKind.UPDATE));
        r.setConditionalCreate(kinds.contains(InteractionKind.CREATE));
        r.setConditionalUpdate(kinds.contains(InteractionKind.CONDITIONAL_UPDATE));
        r.setConditionalRead(ConditionalReadStatus.FULLSUPPORT);
        if (kinds.contains(InteractionKind.CONDITIONAL_DELETE)) {
            r.setConditionalDelete(multipleDeletes ? ConditionalDeleteStatus.MULTIPLE : ConditionalDeleteStatus.SINGLE);
        }
        return r;
    }

    private static void add(CapabilityStatementRestResourceComponent r, Set<InteractionKind> kinds,
            InteractionKind kind, TypeRestfulInteraction code) {
        if (kinds.contains(kind)) {
            r.addInteraction().setCode(code);
        }
    }
}
