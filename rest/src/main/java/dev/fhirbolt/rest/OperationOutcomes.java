package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** OperationOutcome bodies for errors and informational answers. */
public final class OperationOutcomes {

    private OperationOutcomes() {
    }

    public static OperationOutcome of(FhirException e) {
        OperationOutcome outcome = new OperationOutcome();
        var issue = outcome.addIssue()
                .setSeverity(IssueSeverity.fromCode(e.severity()))
                .setCode(IssueType.fromCode(e.issueType().code()))
                .setDiagnostics(e.getMessage());
        e.expression().ifPresent(issue::addExpression);
        return outcome;
    }

    public static OperationOutcome information(String message) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(message);
        return outcome;
    }

    public static FhirResponse response(FhirException e) {
        return FhirResponse.of(e.status(), new ResponseBody.Model(of(e)));
    }
}
