package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/** OperationOutcome bodies for errors and informational answers. */
public final class OperationOutcomes {

    private OperationOutcomes() {
    }

    static final String LINE = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line";
    static final String COLUMN = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col";

    public static OperationOutcome of(FhirException e) {
        if (!e.issues().isEmpty()) {
            return of(e.issues());
        }
        OperationOutcome outcome = new OperationOutcome();
        var issue = outcome.addIssue()
                .setSeverity(IssueSeverity.fromCode(e.severity()))
                .setCode(IssueType.fromCode(e.issueType().code()))
                .setDiagnostics(e.getMessage());
        e.expression().ifPresent(issue::addExpression);
        return outcome;
    }

    /** An outcome of several issues; line and column (when known) as the core extensions and in the location. */
    public static OperationOutcome of(java.util.List<dev.fhirbolt.common.Issue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        for (dev.fhirbolt.common.Issue i : issues) {
            var issue = outcome.addIssue().setSeverity(IssueSeverity.fromCode(i.severity()))
                    .setCode(code(i.code())).setDiagnostics(i.diagnostics());
            i.expression().ifPresent(issue::addExpression);
            if (i.line() > 0) {
                issue.addLocation("Line[" + i.line() + "] Col[" + i.column() + "]");
                issue.addExtension(LINE, new org.hl7.fhir.r4.model.IntegerType(i.line()));
                issue.addExtension(COLUMN, new org.hl7.fhir.r4.model.IntegerType(i.column()));
            }
        }
        return outcome;
    }

    private static IssueType code(String code) {
        try {
            return IssueType.fromCode(code);
        } catch (org.hl7.fhir.exceptions.FHIRException | IllegalArgumentException e) {
            return IssueType.PROCESSING;
        }
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
