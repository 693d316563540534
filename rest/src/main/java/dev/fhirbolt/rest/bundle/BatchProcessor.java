package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.ResponseBody;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch: each entry is an ordinary interaction through {@link FhirApi#handle(FhirRequest, dev.fhirbolt.rest.Route)}
 * and succeeds or fails on its own. Conditional references in entry resources are resolved first (each entry on its
 * own; a batch has no links between entries).
 */
final class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);

    private final ResourceMatcher matcher;
    private final Supplier<FhirApi> api;

    BatchProcessor(ResourceMatcher matcher, Supplier<FhirApi> api) {
        this.matcher = matcher;
        this.api = api;
    }

    FhirResponse process(FhirRequest request, List<BundleEntryComponent> components) {
        int n = components.size();
        BundleContent.Entry[] results = new BundleContent.Entry[n];
        List<ParsedEntry> parsed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                parsed.add(ParsedEntry.parse(i, components.get(i), request.baseUrl()));
            } catch (FhirException e) {
                results[i] = EntryResponses.error(e);
            }
            components.set(i, null); // the parsed entry holds what is needed; let the rest go
        }
        FhirApi fhirApi = api.get();
        for (ParsedEntry entry : ParsedEntry.sortedForProcessing(parsed)) {
            try {
                if (entry.resource() != null) {
                    resolveConditionalReferences(entry);
                }
                FhirResponse response = fhirApi.handle(entry.toRequest(request), entry.route());
                results[entry.index()] = EntryResponses.of(response);
            } catch (FhirException e) {
                results[entry.index()] = EntryResponses.error(new FhirException(e.status(), e.issueType(),
                        entry.describe() + ": " + e.getMessage(), "Bundle.entry[" + entry.index() + "]", e));
            } catch (RuntimeException e) {
                String incident = UUID.randomUUID().toString();
                LOG.error("batch {} failed unexpectedly, incident {}", entry.describe(), incident, e);
                results[entry.index()] = EntryResponses.error(new FhirException(500, IssueType.EXCEPTION,
                        entry.describe() + " failed unexpectedly; the administrator can find incident " + incident
                        + " in the server log"));
            }
        }
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("batch-response", Optional.empty(),
                List.of(), List.of(results))));
    }

    private void resolveConditionalReferences(ParsedEntry entry) {
        Map<String, String> resolved = new HashMap<>();
        for (References.Slot slot : References.of(entry.resource())) {
            String ref = slot.original();
            if (!References.isConditional(ref)) {
                continue;
            }
            String target = resolved.get(ref);
            if (target == null) {
                int q = ref.indexOf('?');
                String type = ref.substring(0, q);
                List<String> ids = matcher.matchIds(type, Params.parse(ref.substring(q + 1)), 2);
                if (ids.size() != 1) {
                    throw new FhirException(412, ids.isEmpty() ? IssueType.NOT_FOUND : IssueType.MULTIPLE_MATCHES,
                            "the conditional reference '" + ref + "' matches " + (ids.isEmpty() ? "no "
                                    : "more than one ") + type + "; it must identify exactly one");
                }
                target = type + "/" + ids.get(0);
                resolved.put(ref, target);
            }
            slot.set(target);
        }
    }
}
