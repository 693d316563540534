package dev.fhirbolt.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.HttpDates;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.function.Function;

/**
 * The status URL of an export: 202 with X-Progress while it runs, 200 with the manifest when done, an error
 * OperationOutcome when it failed; DELETE cancels it. Only the client that started a job may see it.
 */
public final class ExportStatusOperation implements Operation {

    static final String NAME = "export-poll-status";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ExportService exports;
    private final Function<FhirRequest, String> owner;

    public ExportStatusOperation(ExportService exports, Function<FhirRequest, String> owner) {
        this.exports = exports;
        this.owner = owner;
    }

    static String statusUrl(String baseUrl, String jobId) {
        return baseUrl + "/$" + NAME + "?_jobId=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> types() {
        return Set.of();
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.SYSTEM);
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        ExportJob job = ownedJob(exports, owner, request);
        if (request.method().equals("DELETE")) {
            exports.cancel(job);
            return FhirResponse.of(202, new ResponseBody.Model(OperationOutcomes.information(
                    "export " + job.id() + " cancelled and its files deleted")));
        }
        if (!request.method().equals("GET")) {
            throw new FhirException(405, IssueType.NOT_SUPPORTED, "poll the status with GET or cancel with DELETE");
        }
        return switch (job.status()) {
            case ACCEPTED, RUNNING -> FhirResponse.of(202, ResponseBody.NONE)
                    .header("X-Progress", exports.progress(job.id()))
                    .header("Retry-After", "2");
            case COMPLETED -> FhirResponse.of(200, new ResponseBody.Raw(manifest(request, job),
                            "application/json")).header("Expires", HttpDates.format(Instant.ofEpochMilli(
                            job.finishedMillis() + exports.settings().retention().toMillis())));
            case FAILED -> throw new FhirException(500, IssueType.EXCEPTION, job.failure());
            case CANCELLED -> throw FhirException.notFound("export " + job.id() + " was cancelled");
        };
    }

    static ExportJob ownedJob(ExportService exports, Function<FhirRequest, String> owner, FhirRequest request) {
        String id = request.params().first("_jobId")
                .orElseThrow(() -> FhirException.invalid("the _jobId parameter names the export"));
        return exports.find(id).filter(j -> j.owner().equals(owner.apply(request)))
                .orElseThrow(() -> FhirException.notFound("no export " + id
                        + " (it may have been cancelled, expired, or started by another client)"));
    }

    private byte[] manifest(FhirRequest request, ExportJob job) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("transactionTime", StampableJson.formatInstant(Instant.ofEpochMilli(job.transactionTimeMillis())));
        manifest.put("request", job.spec().requestUrl());
        manifest.put("requiresAccessToken", exports.settings().requiresAccessToken());
        ArrayNode output = manifest.putArray("output");
        for (ExportJob.Output o : job.outputs()) {
            output.addObject().put("type", o.type())
                    .put("url", ExportFileOperation.fileUrl(request.baseUrl(), job.id(), o.file()))
                    .put("count", o.count());
        }
        manifest.putArray("error");
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
