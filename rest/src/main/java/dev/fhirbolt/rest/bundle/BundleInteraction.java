package dev.fhirbolt.rest.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.Writes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Resource;

/**
 * POST [base] with a Bundle of type batch or transaction (route kind BATCH). Oversized Bundles are refused before
 * they are parsed: the byte limit first, then the entry count from a streaming scan of JSON bodies.
 */
public final class BundleInteraction implements Interaction {

    private static final JsonFactory JSON = new JsonFactory();

    private final BundleLimits limits;
    private final BatchProcessor batch;
    private final TransactionProcessor transaction;

    public BundleInteraction(ResourceStore store, Writes writes, ResourceMatcher matcher, Supplier<FhirApi> api,
            BundleLimits limits, int maxConditionalDeletes) {
        this(store, writes, matcher, api, limits, maxConditionalDeletes, java.util.Optional.empty());
    }

    /** With referential integrity: a transaction's deletes are judged on its final state (409 naming referrers). */
    public BundleInteraction(ResourceStore store, Writes writes, ResourceMatcher matcher, Supplier<FhirApi> api,
            BundleLimits limits, int maxConditionalDeletes,
            java.util.Optional<dev.fhirbolt.rest.integrity.DeleteGuard> deleteGuard) {
        this.limits = limits;
        this.batch = new BatchProcessor(matcher, api);
        this.transaction = new TransactionProcessor(store, writes, matcher, api, maxConditionalDeletes, deleteGuard);
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        if (!request.hasBody() && RequestBodies.parsed(request).isEmpty()) {
            throw FhirException.invalid("POST to the base needs a Bundle of type batch or transaction");
        }
        if (request.hasBody() && request.body().length > limits.maxBytes()) {
            throw new FhirException(413, IssueType.TOO_LONG, "the Bundle is " + request.body().length
                    + " bytes; this server accepts batches and transactions up to " + limits.maxBytes()
                    + " bytes. Split it into smaller Bundles");
        }
        if (request.hasBody() && RequestBodies.format(request) == FhirFormat.JSON) {
            checkEntryCount(countEntries(request.body()));
            if (streams(request)) {
                var streamed = StreamedBundle.of(request.body());
                if (streamed.isPresent() && streamed.get().type().equals("transaction")) {
                    return transaction.process(request, streamed.get());
                }
            }
        }
        Resource resource = RequestBodies.read(request, null);
        if (!(resource instanceof Bundle bundle)) {
            throw FhirException.invalid("POST to the base needs a Bundle of type batch or transaction, not a "
                    + resource.fhirType());
        }
        checkEntryCount(bundle.getEntry().size());
        requireUniqueFullUrls(bundle.getEntry());
        List<BundleEntryComponent> entries = new ArrayList<>(bundle.getEntry());
        bundle.getEntry().clear();
        Bundle.BundleType type = bundle.getType();
        if (type == Bundle.BundleType.BATCH) {
            return batch.process(request, entries);
        }
        if (type == Bundle.BundleType.TRANSACTION) {
            List<ParsedEntry> parsed = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                try {
                    parsed.add(ParsedEntry.parse(i, entries.get(i), request.baseUrl()));
                } catch (FhirException e) {
                    throw new FhirException(e.status(), e.issueType(), "transaction failed: " + e.getMessage()
                            + "; nothing was stored", "Bundle.entry[" + i + "]", e);
                }
            }
            entries.clear();
            return transaction.process(request, parsed);
        }
        throw FhirException.invalid("POST to the base takes a Bundle of type batch or transaction, not '"
                + (type == null ? "(none)" : type.toCode()) + "'");
    }

    /** Two entries with one fullUrl would make every reference to it ambiguous: refused, whatever the type. */
    private static void requireUniqueFullUrls(List<BundleEntryComponent> entries) {
        UniqueFullUrls seen = new UniqueFullUrls();
        for (int i = 0; i < entries.size(); i++) {
            seen.add(i, entries.get(i).hasFullUrl() ? entries.get(i).getFullUrl() : null);
        }
    }

    @Override
    public int memoryPerBodyByte(FhirRequest request) {
        return streams(request) ? dev.fhirbolt.rest.MemoryBudget.STREAMED_COST_FACTOR
                : dev.fhirbolt.rest.MemoryBudget.COST_FACTOR;
    }

    /**
     * Whether this request is a large JSON transaction, read entry by entry ({@link StreamedBundle}): it then needs
     * a fraction of the memory of one read whole (see {@link dev.fhirbolt.rest.MemoryBudget}).
     */
    public static boolean streams(FhirRequest request) {
        return request.hasBody() && request.body().length >= StreamedBundle.MIN_BYTES
                && RequestBodies.format(request) == FhirFormat.JSON
                && StreamedBundle.typeOf(request.body()).filter("transaction"::equals).isPresent();
    }

    private void checkEntryCount(int count) {
        if (count > limits.maxEntries()) {
            throw new FhirException(413, IssueType.TOO_COSTLY, "the Bundle has " + count + " entries; this server"
                    + " accepts batches and transactions of up to " + limits.maxEntries()
                    + " entries. Split it into smaller Bundles");
        }
    }

    /** Counts Bundle.entry items with a streaming parser: no tree is built. Malformed JSON counts as 0. */
    static int countEntries(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return 0;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("entry") && value == JsonToken.START_ARRAY) {
                    int count = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        count++;
                        p.skipChildren();
                    }
                    return count;
                }
                p.skipChildren();
            }
            return t == null ? 0 : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
