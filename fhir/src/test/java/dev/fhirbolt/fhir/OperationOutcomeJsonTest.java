package dev.fhirbolt.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class OperationOutcomeJsonTest {

    private static final String LINE = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-line";
    private static final String COLUMN = "http://hl7.org/fhir/StructureDefinition/operationoutcome-issue-col";

    @Test
    void writesWhatHapiWrites() {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics("no issues found: the resource is valid");
        var located = outcome.addIssue().setSeverity(IssueSeverity.WARNING).setCode(IssueType.CODEINVALID)
                .setDiagnostics("None of the codings provided are in the value set 'IdentifierType' "
                        + "(http://hl7.org/fhir/ValueSet/identifier-type|4.0.1) (codes = http://x/y#SS)");
        located.addLocation("Line[1] Col[2056]").addExpression("Patient.identifier[2].type");
        located.addExtension(LINE, new IntegerType(1));
        located.addExtension(COLUMN, new IntegerType(2056));
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVARIANT)
                .setDiagnostics("quotes \" back\\slash / tab\t newline\n cr\r ctl\u0001 <b>&amp;</b> é 漢 😀 \u2028 "
                        + " trailing  ").addExpression("Observation.value.ofType(decimal)")
                .addExpression("Observation.component[0]");
        outcome.addIssue().setSeverity(IssueSeverity.FATAL).setCode(IssueType.STRUCTURE);
        outcome.addIssue().setCode(IssueType.PROCESSING).setDiagnostics("no severity");
        for (int n = 0; n < 5; n++) {
            assertSame(outcome);
            outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID)
                    .setDiagnostics("issue " + n).addExpression("Patient.name[" + n + "]");
        }
        assertSame(new OperationOutcome());
    }

    @Test
    void leavesAnythingElseToHapi() {
        assertNull(OperationOutcomeJson.write((OperationOutcome) new OperationOutcome().setId("x")));
        OperationOutcome details = new OperationOutcome();
        details.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID)
                .setDetails(new CodeableConcept().setText("details"));
        assertNull(OperationOutcomeJson.write(details));
        OperationOutcome blank = new OperationOutcome();
        blank.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID).setDiagnostics("  ");
        assertNull(OperationOutcomeJson.write(blank));
        OperationOutcome emptyLocation = new OperationOutcome();
        emptyLocation.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID).getLocation()
                .add(new StringType());
        assertNull(OperationOutcomeJson.write(emptyLocation));
        OperationOutcome lone = new OperationOutcome();
        lone.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID).setDiagnostics("a \uD83D b");
        assertNull(OperationOutcomeJson.write(lone));
        OperationOutcome otherExtension = new OperationOutcome();
        otherExtension.addIssue().setSeverity(IssueSeverity.ERROR).setCode(IssueType.INVALID)
                .addExtension("http://example.org/x", new StringType("s"));
        assertNull(OperationOutcomeJson.write(otherExtension));
        // and ResourceWriter then encodes them with HAPI
        assertEquals(hapi(details), new String(ResourceWriter.render(details, RenderOptions.COMPACT_JSON),
                StandardCharsets.UTF_8));
    }

    private static void assertSame(OperationOutcome outcome) {
        byte[] ours = OperationOutcomeJson.write(outcome);
        assertNotNull(ours);
        assertEquals(hapi(outcome), new String(ours, StandardCharsets.UTF_8));
        assertEquals(hapi(outcome), new String(ResourceWriter.render(outcome, RenderOptions.COMPACT_JSON),
                StandardCharsets.UTF_8));
    }

    private static String hapi(OperationOutcome outcome) {
        return Fhir.context().newJsonParser().encodeResourceToString(outcome);
    }
}
