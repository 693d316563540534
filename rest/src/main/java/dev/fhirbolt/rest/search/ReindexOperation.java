package dev.fhirbolt.rest.search;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.search.reindex.ReindexJob;
import dev.fhirbolt.search.reindex.ReindexService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;

/**
 * {@code $reindex}: re-derives the search index entries of stored resources (no new versions).
 *
 * <ul>
 *   <li>{@code POST [base]/$reindex} (every type, or those named by {@code type} parameters, in the query or a
 *       Parameters body) and {@code POST [base]/[type]/$reindex}: 202 Accepted, the status URL in Content-Location;
 *   <li>{@code GET [base]/$reindex?_jobId=id}: 202 with X-Progress and an OperationOutcome while it runs, 200 with an
 *       OperationOutcome when it completed, 500 when it failed;
 *   <li>{@code GET [base]/$reindex}: every job and its state, one issue each.
 * </ul>
 */
public final class ReindexOperation implements Operation {

    private final ReindexService reindex;

    public ReindexOperation(ReindexService reindex) {
        this.reindex = reindex;
    }

    public static String statusUrl(String baseUrl, String jobId) {
        return baseUrl + "/$reindex?_jobId=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return "reindex";
    }

    @Override
    public Set<String> types() {
        return Set.of();
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.SYSTEM, Level.TYPE);
    }

    @Override
    public String definition() {
        return "http://fhirbolt.dev/OperationDefinition/reindex";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        return switch (request.method()) {
            case "POST" -> start(request, route);
            case "GET" -> request.params().first("_jobId").map(this::status).orElseGet(this::list);
            default -> throw new FhirException(405, IssueType.NOT_SUPPORTED,
                    "start a reindex with POST, follow it with GET ?_jobId=");
        };
    }

    private FhirResponse start(FhirRequest request, Route route) {
        List<String> types = new ArrayList<>();
        route.type().ifPresent(types::add);
        for (String value : request.params().values("type")) {
            for (String t : value.split(",")) {
                if (!t.isBlank()) {
                    types.add(t.trim());
                }
            }
        }
        if (request.hasBody()) {
            Parameters p = (Parameters) RequestBodies.read(request, "Parameters");
            p.getParameter().stream().filter(x -> x.getName().equals("type") && x.hasValue())
                    .forEach(x -> types.add(x.getValue().primitiveValue()));
        }
        ReindexJob job;
        try {
            job = reindex.request(types, "$reindex" + (types.isEmpty() ? " of every type" : " of " + types));
        } catch (IllegalArgumentException e) {
            throw FhirException.invalid(e.getMessage());
        }
        return FhirResponse.of(202, new ResponseBody.Model(OperationOutcomes.information("reindex job " + job.id()
                        + " accepted; follow it at the Content-Location URL")))
                .header("Content-Location", statusUrl(request.baseUrl(), job.id()));
    }

    private FhirResponse status(String id) {
        ReindexJob job = reindex.find(id).orElseThrow(() -> FhirException.notFound("no reindex job " + id));
        return switch (job.status()) {
            case QUEUED, RUNNING -> FhirResponse.of(202, new ResponseBody.Model(OperationOutcomes.information(
                            describe(job)))).header("X-Progress", job.progress()).header("Retry-After", "2");
            case COMPLETED -> FhirResponse.of(200, new ResponseBody.Model(OperationOutcomes.information(
                    describe(job))));
            case FAILED -> throw new FhirException(500, IssueType.EXCEPTION, describe(job));
        };
    }

    private FhirResponse list() {
        OperationOutcome outcome = new OperationOutcome();
        for (ReindexJob job : reindex.all()) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                    .setCode(OperationOutcome.IssueType.INFORMATIONAL).setDiagnostics(describe(job));
        }
        if (outcome.getIssue().isEmpty()) {
            return FhirResponse.of(200, new ResponseBody.Model(OperationOutcomes.information("no reindex jobs")));
        }
        return FhirResponse.of(200, new ResponseBody.Model(outcome));
    }

    private static String describe(ReindexJob job) {
        String state = "reindex job " + job.id() + " (" + job.reason() + "): " + job.status().name().toLowerCase(
                java.util.Locale.ROOT);
        return switch (job.status()) {
            case QUEUED, RUNNING -> state + ", " + job.progress();
            case COMPLETED -> state + ", " + String.format("%,d", job.done()) + " resources reindexed";
            case FAILED -> state + " at " + job.progress() + ": " + job.failure();
        };
    }
}
