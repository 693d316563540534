package dev.fhirbolt.app;

import dev.fhirbolt.bulk.ExportFileOperation;
import dev.fhirbolt.bulk.ExportKickoffOperation;
import dev.fhirbolt.bulk.ExportService;
import dev.fhirbolt.bulk.ExportStatusOperation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.search.ReindexOperation;
import dev.fhirbolt.rest.search.SearchCapabilities;
import dev.fhirbolt.rest.search.SearchInteraction;
import dev.fhirbolt.rest.search.SearchMatcher;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchIndexer;
import dev.fhirbolt.search.reindex.ReindexService;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.Writes;
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

    static FhirApi assemble(ResourceStore store, SearchEngine search, SearchIndexer indexer, ReindexService reindex,
            ExportService exports, ServerConfig config) {
        ResourceMatcher matcher = new SearchMatcher(search);
        Writes writes = new Writes(indexer::index);
        SearchInteraction searchInteraction = new SearchInteraction(search);
        AtomicReference<FhirApi> self = new AtomicReference<>();
        String version = FhirApiAssembly.class.getPackage().getImplementationVersion();
        HistoryInteraction history = new HistoryInteraction(store);
        FhirApi api = FhirApi.builder()
                .interaction(InteractionKind.READ, new ReadInteraction(store))
                .interaction(InteractionKind.VREAD, new VreadInteraction(store))
                .interaction(InteractionKind.CREATE, new CreateInteraction(store, writes, matcher))
                .interaction(InteractionKind.UPDATE, new UpdateInteraction(store, writes))
                .interaction(InteractionKind.CONDITIONAL_UPDATE,
                        new ConditionalUpdateInteraction(store, writes, matcher))
                .interaction(InteractionKind.DELETE, new DeleteInteraction(store))
                .interaction(InteractionKind.CONDITIONAL_DELETE,
                        new ConditionalDeleteInteraction(store, matcher, config.conditionalDeleteMax()))
                .interaction(InteractionKind.HISTORY_INSTANCE, history)
                .interaction(InteractionKind.HISTORY_TYPE, history)
                .interaction(InteractionKind.HISTORY_SYSTEM, history)
                .interaction(InteractionKind.SEARCH_TYPE, searchInteraction)
                .interaction(InteractionKind.SEARCH_SYSTEM, searchInteraction)
                .interaction(InteractionKind.SEARCH_COMPARTMENT, searchInteraction)
                .operation(new ExportKickoffOperation(exports, store, Callers::clientId))
                .operation(new ExportStatusOperation(exports, Callers::clientId))
                .operation(new ExportFileOperation(exports, Callers::clientId))
                .operation(new ReindexOperation(reindex))
                .interaction(InteractionKind.CAPABILITIES, new CapabilitiesInteraction(self::get,
                        List.of(new SearchCapabilities(search)),
                        version == null ? "development" : version, config.conditionalDeleteMax() > 1))
                .build();
        self.set(api);
        return api;
    }
}
