package dev.fhirbolt.bulk;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Downloads one NDJSON file of a completed export, for the client that started it only. */
public final class ExportFileOperation implements Operation {

    static final String NAME = "export-file";

    private final ExportService exports;
    private final Function<FhirRequest, String> owner;

    public ExportFileOperation(ExportService exports, Function<FhirRequest, String> owner) {
        this.exports = exports;
        this.owner = owner;
    }

    static String fileUrl(String baseUrl, String jobId, String file) {
        return baseUrl + "/$" + NAME + "?_jobId=" + URLEncoder.encode(jobId, StandardCharsets.UTF_8)
                + "&_file=" + URLEncoder.encode(file, StandardCharsets.UTF_8);
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
        if (!request.method().equals("GET")) {
            throw new FhirException(405, IssueType.NOT_SUPPORTED, "export files are downloaded with GET");
        }
        ExportJob job = ExportStatusOperation.ownedJob(exports, owner, request);
        String name = request.params().first("_file")
                .orElseThrow(() -> FhirException.invalid("the _file parameter names the file"));
        // only a name the job lists becomes a path: any other (a NUL byte, "../") never reaches the file system
        boolean listed = job.outputs().stream().anyMatch(o -> o.file().equals(name));
        Optional<Path> file;
        try {
            file = listed ? exports.file(job, name) : Optional.empty();
        } catch (IOException e) {
            throw new FhirException(503, IssueType.TRANSIENT, "export file " + name + " could not be read here: "
                    + e.getMessage() + "; try again");
        }
        if (file.isEmpty()) {
            throw FhirException.notFound("export " + job.id() + " has no file " + name.replaceAll("\\p{Cntrl}", "?"));
        }
        return FhirResponse.of(200, new ResponseBody.File(file.get(), "application/fhir+ndjson"));
    }
}
