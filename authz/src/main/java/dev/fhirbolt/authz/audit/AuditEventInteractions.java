package dev.fhirbolt.authz.audit;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.HttpDates;
import dev.fhirbolt.rest.InteractionFilter;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.bundle.BundleContent;
import dev.fhirbolt.rest.search.IgnoredParameters;
import dev.fhirbolt.rest.search.SearchParameterLimit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/**
 * Answers the interactions on AuditEvent from the audit log ({@link AuditStore}) instead of the resource store: read
 * and vread ({@code AuditEvent/[id]}, version 1), type search, and the compartment searches that reach AuditEvent
 * ({@code Patient/[id]/AuditEvent}: patient; Practitioner, RelatedPerson, Device: agent). The log is append-only and
 * written by the server alone, so create, update, patch, delete, history and AuditEvent entries of transactions answer
 * 405, and no operation runs on AuditEvent. Runs after authorization, so who may see the log is decided there as for
 * any type.
 */
public final class AuditEventInteractions implements InteractionFilter {

    private final AuditStore store;
    private final SearchParameterLimit parameterLimit;

    public AuditEventInteractions(AuditStore store) {
        this(store, new SearchParameterLimit(SearchParameterLimit.DEFAULT));
    }

    public AuditEventInteractions(AuditStore store, SearchParameterLimit parameterLimit) {
        this.store = store;
        this.parameterLimit = parameterLimit;
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route, Next next) {
        boolean compartmentSearch = route.kind() == InteractionKind.SEARCH_COMPARTMENT;
        String type = compartmentSearch ? route.compartmentTarget().orElse("*") : route.type().orElse("");
        if (route.kind() == InteractionKind.SEARCH_SYSTEM && namesAuditEvent(request.params())) {
            throw new FhirException(400, IssueType.NOT_SUPPORTED, "AuditEvents are not part of system searches;"
                    + " search the audit log with AuditEvent?...");
        }
        if (!type.equals(AuditStore.TYPE)) {
            return next.handle(request, route);
        }
        return switch (route.kind()) {
            case READ -> read(request, route.requireId());
            case VREAD -> {
                if (!route.versionId().orElse("").equals("1")) {
                    throw FhirException.notFound("AuditEvent/" + route.requireId() + " has only version 1");
                }
                yield read(request, route.requireId());
            }
            case SEARCH_TYPE -> search(request, request.params().asMap());
            case SEARCH_COMPARTMENT -> search(request, withCompartment(route, request.params().asMap()));
            case OPERATION -> throw new FhirException(404, IssueType.NOT_SUPPORTED, "the operation $"
                    + route.operation().orElse("") + " is not supported on AuditEvent");
            default -> throw notAllowed();
        };
    }

    private static boolean namesAuditEvent(Params params) {
        return params.asMap().getOrDefault("_type", List.of()).stream()
                .flatMap(v -> java.util.Arrays.stream(v.split(","))).anyMatch(t -> t.trim().equals(AuditStore.TYPE));
    }

    @Override
    public void checkWrite(FhirRequest request, Route route, Resource resource) {
        if (route.type().filter(AuditStore.TYPE::equals).isPresent()) {
            throw notAllowed();
        }
    }

    private static FhirException notAllowed() {
        return new FhirException(405, IssueType.NOT_SUPPORTED, "the audit log is append-only and written by the"
                + " server: AuditEvents can be read (AuditEvent/[id]) and searched (AuditEvent?...), not created,"
                + " changed, deleted or listed by history");
    }

    private FhirResponse read(FhirRequest request, String id) {
        ResourceVersion v = store.read(id).orElseThrow(() -> FhirException.notFound("AuditEvent/" + id
                + " is not known"));
        return FhirResponse.of(200, new ResponseBody.Stored(v))
                .header("ETag", ETags.of(v.version()))
                .header("Last-Modified", HttpDates.format(v.lastUpdated()))
                .header("Content-Location", request.baseUrl() + "/AuditEvent/" + id + "/_history/1");
    }

    /** Patient/1/AuditEvent is AuditEvent?patient=Patient/1; the other compartments reach it through agent. */
    private static Map<String, List<String>> withCompartment(Route route, Map<String, List<String>> params) {
        Map<String, List<String>> out = new LinkedHashMap<>(params);
        String owner = route.requireType() + "/" + route.requireId();
        String param = switch (route.requireType()) {
            case "Patient" -> "patient";
            case "Practitioner", "RelatedPerson", "Device" -> "agent";
            default -> throw FhirException.invalid("AuditEvent is not in the " + route.requireType()
                    + " compartment");
        };
        out.computeIfAbsent(param, k -> new ArrayList<>()).add(owner);
        return out;
    }

    private FhirResponse search(FhirRequest request, Map<String, List<String>> params) {
        parameterLimit.check(params);
        AuditQuery query;
        try {
            query = AuditQuery.parse(params);
        } catch (IllegalArgumentException e) {
            throw FhirException.invalid(e.getMessage());
        }
        for (String name : query.unknown) {
            if (name.indexOf('.') > 0 || name.startsWith("_has:")) {
                throw FhirException.invalid("the chained search parameter '" + name + "' cannot be followed on"
                        + " AuditEvent, which answers no chains");
            }
        }
        IgnoredParameters.refuseIfStrict(request, query.unknown);
        AuditSearch.Page page = AuditSearch.run(store, query);
        String base = request.baseUrl() + "/AuditEvent";
        List<Params.Param> self = new ArrayList<>();
        query.self.forEach((name, values) -> values.forEach(v -> self.add(new Params.Param(name, v))));
        List<BundleContent.Link> links = new ArrayList<>();
        links.add(new BundleContent.Link("self", link(base, self)));
        page.next().ifPresent(key -> {
            List<Params.Param> next = new ArrayList<>(self);
            next.add(new Params.Param("_cursor", AuditKeys.id(key)));
            links.add(new BundleContent.Link("next", link(base, next)));
        });
        List<BundleContent.Entry> entries = new ArrayList<>(page.events().size());
        for (AuditStore.Event e : page.events()) {
            entries.add(BundleContent.Entry.match(base + "/" + e.id(), new ResponseBody.Stored(e.version()),
                    "match"));
        }
        IgnoredParameters.entry(query.unknown).ifPresent(entries::add);
        Optional<Long> total = page.total().isPresent() ? Optional.of(page.total().getAsLong()) : Optional.empty();
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("searchset", total, links, entries)));
    }

    private static String link(String base, List<Params.Param> params) {
        String query = new Params(params).toQueryString();
        return query.isEmpty() ? base : base + "?" + query;
    }
}
