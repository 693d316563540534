package dev.fhirbolt.app;

import dev.fhirbolt.authz.audit.AuditCapabilities;
import dev.fhirbolt.authz.audit.AuditEventInteractions;
import dev.fhirbolt.bulk.ExportFileOperation;
import dev.fhirbolt.bulk.ExportKickoffOperation;
import dev.fhirbolt.bulk.ExportService;
import dev.fhirbolt.bulk.ExportStatusOperation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.MemoryBudget;
import dev.fhirbolt.rest.operation.PatientEverythingOperation;
import dev.fhirbolt.rest.operation.ValidateOperation;
import dev.fhirbolt.rest.integrity.DeleteGuard;
import dev.fhirbolt.rest.integrity.ReferenceTargets;
import dev.fhirbolt.rest.integrity.Referrers;
import dev.fhirbolt.validation.BaseChecks;
import dev.fhirbolt.validation.HapiValidator;
import dev.fhirbolt.validation.WriteValidation;
import dev.fhirbolt.rest.search.ReindexOperation;
import dev.fhirbolt.rest.search.SearchCapabilities;
import dev.fhirbolt.rest.search.SearchInteraction;
import dev.fhirbolt.rest.search.SearchMatcher;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.Writes;
import dev.fhirbolt.rest.bundle.BundleInteraction;
import dev.fhirbolt.rest.bundle.BundleLimits;
import dev.fhirbolt.rest.patch.PatchCapabilities;
import dev.fhirbolt.rest.patch.PatchInteraction;
import dev.fhirbolt.rest.interaction.CapabilitiesInteraction;
import dev.fhirbolt.rest.interaction.ConditionalDeleteInteraction;
import dev.fhirbolt.rest.interaction.ConditionalUpdateInteraction;
import dev.fhirbolt.rest.interaction.CreateInteraction;
import dev.fhirbolt.rest.interaction.DeleteInteraction;
import dev.fhirbolt.rest.interaction.HistoryInteraction;
import dev.fhirbolt.rest.interaction.ReadInteraction;
import dev.fhirbolt.rest.interaction.UpdateInteraction;
import dev.fhirbolt.rest.interaction.VreadInteraction;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Wires every interaction and operation into the {@link FhirApi}. */
final class FhirApiAssembly {

    private FhirApiAssembly() {
    }

    /** The whole API; without the export operations when {@code exports} is null (offline loading). */
    static FhirApi assemble(Backend backend, ExportService exports, ServerConfig config) {
        return assemble(backend, exports, config, dev.fhirbolt.rest.InteractionFilter.NONE, List.of());
    }

    /** The whole API with an interaction filter (authorization) and more CapabilityStatement contributors. */
    static FhirApi assemble(Backend backend, ExportService exports, ServerConfig config,
            dev.fhirbolt.rest.InteractionFilter filter, List<dev.fhirbolt.rest.CapabilityContributor> extra) {
        return assemble(backend, exports, config, filter, extra, List.of());
    }

    /** ... and more operations (the subscriptions module's). */
    static FhirApi assemble(Backend backend, ExportService exports, ServerConfig config,
            dev.fhirbolt.rest.InteractionFilter filter, List<dev.fhirbolt.rest.CapabilityContributor> extra,
            List<dev.fhirbolt.rest.Operation> operations) {
        ResourceStore store = backend.store();
        SearchEngine search = backend.search();
        var parameterLimit = new dev.fhirbolt.rest.search.SearchParameterLimit(config.searchMaxParameters());
        ResourceMatcher matcher = new SearchMatcher(search, parameterLimit);
        StoredConformance profiles = StoredConformance.follow(store);
        HapiValidator validator = new HapiValidator(profiles, new TerminologyMembership(backend.terminology()));
        profiles.onChange(validator::profilesChanged);
        java.util.Optional<DeleteGuard> deleteGuard = config.referentialIntegrity()
                ? java.util.Optional.of(new DeleteGuard(new Referrers(search), config.conditionalDeleteMax()))
                : java.util.Optional.empty();
        Writes writes = new Writes(backend.indexer()::index, new ValidationOnWrite(new WriteValidation(
                config.validation(), BaseChecks.core(), validator)), config.referentialIntegrity()
                ? java.util.Optional.of(new ReferenceTargets(store)) : java.util.Optional.empty());
        SearchInteraction searchInteraction = new SearchInteraction(search, parameterLimit);
        AtomicReference<FhirApi> self = new AtomicReference<>();
        HistoryInteraction history = new HistoryInteraction(store);
        List<dev.fhirbolt.rest.CapabilityContributor> capabilities = new java.util.ArrayList<>();
        capabilities.add(new SearchCapabilities(search));
        capabilities.add(new ProfileCapabilities(profiles));
        capabilities.add(new PatchCapabilities());
        capabilities.addAll(extra);
        capabilities.add(new AuditCapabilities());
        FhirApi.Builder builder = FhirApi.builder()
                .memoryBudget(config.requestMemoryBytes().map(MemoryBudget::new).orElseGet(MemoryBudget::ofHeap))
                .filter(filter.then(new AuditEventInteractions(backend.audit(), parameterLimit)))
                .interaction(InteractionKind.READ, new ReadInteraction(store))
                .interaction(InteractionKind.VREAD, new VreadInteraction(store))
                .interaction(InteractionKind.CREATE, new CreateInteraction(store, writes, matcher))
                .interaction(InteractionKind.UPDATE, new UpdateInteraction(store, writes))
                .interaction(InteractionKind.CONDITIONAL_UPDATE,
                        new ConditionalUpdateInteraction(store, writes, matcher))
                .interaction(InteractionKind.DELETE, new DeleteInteraction(store, deleteGuard))
                .interaction(InteractionKind.CONDITIONAL_DELETE,
                        new ConditionalDeleteInteraction(store, matcher, config.conditionalDeleteMax()))
                .interaction(InteractionKind.HISTORY_INSTANCE, history)
                .interaction(InteractionKind.HISTORY_TYPE, history)
                .interaction(InteractionKind.HISTORY_SYSTEM, history)
                .interaction(InteractionKind.PATCH, new PatchInteraction(store, writes, matcher))
                .interaction(InteractionKind.CONDITIONAL_PATCH, new PatchInteraction(store, writes, matcher))
                .interaction(InteractionKind.BATCH, new BundleInteraction(store, writes, matcher, self::get,
                        new BundleLimits(config.bundleMaxEntries(), config.bundleMaxBytes()),
                        config.conditionalDeleteMax(), deleteGuard));
        builder.interaction(InteractionKind.SEARCH_TYPE, searchInteraction)
                .interaction(InteractionKind.SEARCH_SYSTEM, searchInteraction)
                .interaction(InteractionKind.SEARCH_COMPARTMENT, searchInteraction)
                .operation(new PatientEverythingOperation(store, search))
                .operation(new ReindexOperation(backend.reindex()))
                .operation(new ValidateOperation(validator, store,
                        (type, id) -> deleteGuard.map(g -> g.problems(type, id)).orElse(List.of())));
        TerminologyOperations.register(builder, backend.terminology());
        builder.operation(new dev.fhirbolt.rest.terminology.UploadCodeSystemOperation(
                new dev.fhirbolt.terminology.ConceptStore(backend.kv(), backend.sharedKv()), self::get,
                config.terminologyUploadMaxBytes()));
        operations.forEach(builder::operation);
        if (exports != null) {
            builder.operation(new ExportKickoffOperation(exports, store, Callers::clientId))
                    .operation(new ExportStatusOperation(exports, Callers::clientId))
                    .operation(new ExportFileOperation(exports, Callers::clientId));
        }
        FhirApi api = builder
                .interaction(InteractionKind.CAPABILITIES, new CapabilitiesInteraction(self::get,
                        capabilities,
                        BuildVersion.version(), config.conditionalDeleteMax() > 1))
                .build();
        self.set(api);
        return api;
    }
}
