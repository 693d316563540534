package dev.fhirbolt.rest.interaction;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.HistoryCursor;
import dev.fhirbolt.database.HistoryPage;
import dev.fhirbolt.database.HistoryQuery;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.rest.DateRanges;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.bundle.BundleContent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** History at instance, type and system level, newest first, paged with a cursor that new writes cannot shift. */
public final class HistoryInteraction implements Interaction {

    static final int DEFAULT_COUNT = 50;
    static final int MAX_COUNT = 1000;

    private final ResourceStore store;

    public HistoryInteraction(ResourceStore store) {
        this.store = store;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        Params params = request.params();
        int count = count(params);
        Optional<Instant> since = params.first("_since").map(v -> DateRanges.parse("_since", v).start());
        Optional<DateRanges> at = params.first("_at").map(v -> DateRanges.parse("_at", v));
        Optional<HistoryCursor> before = params.first("_page").map(HistoryInteraction::cursor);
        if (route.id().isPresent() && store.readCurrent(route.requireType(), route.requireId()).isEmpty()) {
            throw FhirException.notFound(route.requireType() + "/" + route.requireId() + " is not known");
        }
        HistoryPage page = store.history(new HistoryQuery(route.type(), route.id(), since,
                at.map(DateRanges::start), at.map(DateRanges::end), before, count));
        String self = request.baseUrl() + "/" + request.path();
        List<BundleContent.Link> links = new ArrayList<>();
        String query = params.toQueryString();
        links.add(new BundleContent.Link("self", self + (query.isEmpty() ? "" : "?" + query)));
        page.next().ifPresent(next -> links.add(new BundleContent.Link("next", self + "?"
                + params.without(n -> n.equals("_page"))
                        .plus(Params.parse("_page=" + next.encode())).toQueryString())));
        List<BundleContent.Entry> entries = page.versions().stream().map(v -> entry(request, v)).toList();
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("history", Optional.empty(), links,
                entries)));
    }

    private static BundleContent.Entry entry(FhirRequest request, ResourceVersion v) {
        String relative = v.type() + "/" + v.id();
        String url = v.method() == WriteMethod.CREATE ? v.type() : relative;
        String status = switch (v.method()) {
            case CREATE -> "201 Created";
            case DELETE -> "204 No Content";
            default -> v.version() == 1 ? "201 Created" : "200 OK";
        };
        return new BundleContent.Entry(Optional.of(request.baseUrl() + "/" + relative),
                v.deleted() ? Optional.empty() : Optional.of(new ResponseBody.Stored(v)), Optional.empty(),
                Optional.of(new BundleContent.EntryRequest(v.method().httpMethod(), url)),
                Optional.of(new BundleContent.EntryResponse(status,
                        Optional.of(relative + "/_history/" + v.version()), Optional.of(ETags.of(v.version())),
                        Optional.of(StampableJson.formatInstant(v.lastUpdated())), Optional.empty())));
    }

    static int count(Params params) {
        return params.first("_count").map(value -> {
            try {
                return dev.fhirbolt.search.query.ResultParams.count(value, MAX_COUNT);
            } catch (IllegalArgumentException e) {
                throw FhirException.invalid(e.getMessage());
            }
        }).orElse(DEFAULT_COUNT);
    }

    private static HistoryCursor cursor(String token) {
        try {
            return HistoryCursor.decode(token);
        } catch (RuntimeException e) {
            throw FhirException.invalid("_page is not a page token this server issued");
        }
    }
}
