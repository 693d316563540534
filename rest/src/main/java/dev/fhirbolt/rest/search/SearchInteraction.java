package dev.fhirbolt.rest.search;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Interaction;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.bundle.BundleContent;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchRequest;
import dev.fhirbolt.search.SearchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Type, system and compartment search (GET, and POST _search with a form body): answers a searchset Bundle whose
 * self link lists the parameters used, with next/previous links carrying the engine's _cursor. Parameters the server
 * does not know or support answer 400 under {@code Prefer: handling=strict}; otherwise (lenient, the default) they
 * are left out of the self link and an OperationOutcome entry ({@code search.mode=outcome}) names them.
 */
public final class SearchInteraction implements Interaction {

    private final SearchEngine engine;
    private final SearchParameterLimit limit;

    public SearchInteraction(SearchEngine engine) {
        this(engine, new SearchParameterLimit(SearchParameterLimit.DEFAULT));
    }

    public SearchInteraction(SearchEngine engine, SearchParameterLimit limit) {
        this.engine = engine;
        this.limit = limit;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        Map<String, List<String>> params = request.params().asMap();
        limit.check(params);
        SearchRequest search = switch (route.kind()) {
            case SEARCH_COMPARTMENT -> SearchRequest.inCompartment(route.requireType(), route.requireId(),
                    route.compartmentTarget().orElse("*"), params);
            case SEARCH_SYSTEM -> SearchRequest.system(params);
            default -> SearchRequest.ofType(route.requireType(), params);
        };
        SearchResult result = engine.search(search);
        IgnoredParameters.refuseIfStrict(request, result.unknownParameters());
        String base = request.baseUrl() + "/" + searchPath(request.path());
        Params self = toParams(result.selfParameters());
        List<BundleContent.Link> links = new ArrayList<>();
        links.add(new BundleContent.Link("self", link(base, self)));
        result.next().ifPresent(c -> links.add(new BundleContent.Link("next", link(base, withCursor(self, c)))));
        result.previous().ifPresent(c -> links.add(new BundleContent.Link("previous", link(base,
                withCursor(self, c)))));
        List<BundleContent.Entry> entries = new ArrayList<>();
        for (ResourceVersion v : result.matches()) {
            entries.add(entry(request, v, "match"));
        }
        for (ResourceVersion v : result.includes()) {
            entries.add(entry(request, v, "include"));
        }
        IgnoredParameters.entry(result.unknownParameters()).ifPresent(entries::add);
        Optional<Long> total = result.total().isPresent() ? Optional.of(result.total().getAsLong()) : Optional.empty();
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("searchset", total, links, entries)));
    }

    private static BundleContent.Entry entry(FhirRequest request, ResourceVersion v, String mode) {
        return BundleContent.Entry.match(request.baseUrl() + "/" + v.type() + "/" + v.id(),
                new ResponseBody.Stored(v), mode);
    }

    /** POST Type/_search links back to GET Type. */
    private static String searchPath(String path) {
        String p = path.endsWith("/_search") ? path.substring(0, path.length() - "/_search".length()) : path;
        return p.equals("_search") ? "" : p;
    }

    private static Params toParams(Map<String, List<String>> map) {
        List<Params.Param> list = new ArrayList<>();
        map.forEach((name, values) -> values.forEach(v -> list.add(new Params.Param(name, v))));
        return new Params(list);
    }

    private static Params withCursor(Params self, String cursor) {
        return self.plus(new Params(List.of(new Params.Param("_cursor", cursor))));
    }

    private static String link(String base, Params params) {
        String query = params.toQueryString();
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return query.isEmpty() ? b : b + "?" + query;
    }
}
