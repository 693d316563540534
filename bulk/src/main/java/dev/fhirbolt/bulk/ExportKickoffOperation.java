package dev.fhirbolt.bulk;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Group;

/** $export kick-off at system, Patient and Group level: 202 Accepted with the status URL. */
public final class ExportKickoffOperation implements Operation {

    private final ExportService exports;
    private final ResourceStore store;
    private final Function<FhirRequest, String> owner;

    public ExportKickoffOperation(ExportService exports, ResourceStore store, Function<FhirRequest, String> owner) {
        this.exports = exports;
        this.store = store;
        this.owner = owner;
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public Set<String> types() {
        return Set.of("Patient", "Group");
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.SYSTEM, Level.TYPE, Level.INSTANCE);
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw new FhirException(405, dev.fhirbolt.common.IssueType.NOT_SUPPORTED, "$export takes GET or POST");
        }
        if (route.id().isPresent() && !route.requireType().equals("Group")) {
            throw FhirException.notSupported("instance-level $export is defined for Group only");
        }
        if (route.type().isPresent() && route.id().isEmpty() && !route.requireType().equals("Patient")) {
            throw FhirException.notSupported("type-level $export is defined for Patient only");
        }
        List<String> members = route.id().isPresent() ? groupMembers(route.requireId()) : List.of();
        ExportSpec spec = ExportRequestParser.parse(request, route, members);
        ExportJob job = exports.kickOff(owner.apply(request), spec);
        return FhirResponse.of(202, new ResponseBody.Model(OperationOutcomes.information(
                        "export " + job.id() + " accepted; poll the Content-Location URL for its status")))
                .header("Content-Location", ExportStatusOperation.statusUrl(request.baseUrl(), job.id()));
    }

    private List<String> groupMembers(String groupId) {
        ResourceVersion version = store.readCurrent("Group", groupId).filter(v -> !v.deleted())
                .orElseThrow(() -> FhirException.notFound("Group/" + groupId + " is not known"));
        Group group = (Group) ResourceReader.readStored(version.json());
        List<String> patients = new ArrayList<>();
        for (Group.GroupMemberComponent member : group.getMember()) {
            if (member.getInactive()) {
                continue;
            }
            String reference = member.getEntity().getReference();
            if (reference != null && reference.startsWith("Patient/")) {
                patients.add(reference.substring("Patient/".length()));
            }
        }
        return patients;
    }
}
