package dev.fhirbolt.app;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.rest.WriteCheck;
import dev.fhirbolt.validation.ValidationIssue;
import dev.fhirbolt.validation.ValidationReport;
import dev.fhirbolt.validation.WriteValidation;
import org.hl7.fhir.r4.model.Resource;

/** Validation on write as the REST layer sees it: a refused resource is a 422 with the validator's issues. */
final class ValidationOnWrite implements WriteCheck {

    private final WriteValidation validation;

    ValidationOnWrite(WriteValidation validation) {
        this.validation = validation;
    }

    @Override
    public void check(Resource resource) {
        ValidationReport report = validation.check(resource);
        if (report.rejects()) {
            ValidationIssue first = report.firstRejection().orElseThrow();
            long errors = report.issues().stream().filter(i -> i.severity().rejects()).count();
            throw new FhirException(422, IssueType.PROCESSING, "the " + resource.fhirType() + " is not valid: "
                    + first.message() + (errors > 1 ? " (and " + (errors - 1) + " more)" : ""),
                    report.outcomeIssues());
        }
    }
}
