package dev.fhirbolt.rest.search;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.bundle.BundleContent;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Search parameters a search could not apply (unknown names and modifiers; a sort key is named {@code _sort=code}):
 * under {@code Prefer: handling=strict} a 400, otherwise (lenient, the default) a searchset entry with
 * {@code search.mode=outcome} whose OperationOutcome names each of them.
 */
public final class IgnoredParameters {

    private IgnoredParameters() {
    }

    /** Throws the 400 of strict handling when {@code ignored} is not empty and the client asked for strict. */
    public static void refuseIfStrict(FhirRequest request, List<String> ignored) {
        if (!ignored.isEmpty() && request.prefer().strictHandling()) {
            throw new FhirException(400, IssueType.NOT_SUPPORTED, "unknown or unsupported search parameter(s): "
                    + String.join(", ", ignored));
        }
    }

    /** The outcome entry of a lenient search, when something was ignored. */
    public static Optional<BundleContent.Entry> entry(List<String> ignored) {
        if (ignored.isEmpty()) {
            return Optional.empty();
        }
        OperationOutcome outcome = new OperationOutcome();
        for (String name : ignored) {
            String what = name.startsWith("_sort=")
                    ? "the sort key '" + name.substring("_sort=".length()) + "' (_sort) is not a search parameter"
                    + " of the searched type(s)"
                    : "the search parameter '" + name + "' is unknown or not supported here";
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.WARNING)
                    .setCode(OperationOutcome.IssueType.NOTSUPPORTED)
                    .setDiagnostics(what + " and was ignored (send Prefer: handling=strict to have such a search"
                            + " refused)");
        }
        return Optional.of(new BundleContent.Entry(Optional.of("urn:uuid:" + UUID.randomUUID()),
                Optional.of(new ResponseBody.Model(outcome)), Optional.of("outcome"), Optional.empty(),
                Optional.empty()));
    }
}
