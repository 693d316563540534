package dev.fhirbolt.rest.search;

import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.bundle.BundleContent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The searchset entry ({@code search.mode=outcome}) that tells a lenient search's client what was ignored. */
final class IgnoredParameters {

    private IgnoredParameters() {
    }

    static BundleContent.Entry entry(List<String> ignored) {
        OperationOutcome outcome = new OperationOutcome();
        for (String name : ignored) {
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                    .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                    .setDiagnostics("the search parameter '" + name + "' is unknown or not supported here and was"
                            + " ignored (send Prefer: handling=strict to have such a search refused)");
        }
        return new BundleContent.Entry(Optional.of("urn:uuid:" + UUID.randomUUID()),
                Optional.of(new ResponseBody.Model(outcome)), Optional.of("outcome"), Optional.empty(),
                Optional.empty());
    }
}
