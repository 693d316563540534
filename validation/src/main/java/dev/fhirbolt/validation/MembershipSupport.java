package dev.fhirbolt.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.ConceptValidationOptions;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.context.support.ValidationSupportContext;
import java.util.Optional;

/** Puts a {@link ValueSetMembership} into HAPI's support chain, ahead of its in-memory expansions. */
final class MembershipSupport implements IValidationSupport {

    private final FhirContext context;
    private final ValueSetMembership membership;

    MembershipSupport(FhirContext context, ValueSetMembership membership) {
        this.context = context;
        this.membership = membership;
    }

    @Override
    public FhirContext getFhirContext() {
        return context;
    }

    @Override
    public String getName() {
        return "fhirbolt-value-set-membership";
    }

    @Override
    public boolean isValueSetSupported(ValidationSupportContext support, String valueSetUrl) {
        return membership != ValueSetMembership.NONE;
    }

    /** The validator's binding checks come here, with the value set it fetched: answered by its URL. */
    @Override
    public CodeValidationResult validateCodeInValueSet(ValidationSupportContext support,
            ConceptValidationOptions options, String system, String code, String display,
            org.hl7.fhir.instance.model.api.IBaseResource valueSet) {
        if (valueSet instanceof org.hl7.fhir.r4.model.ValueSet vs && vs.hasUrl()) {
            return validateCode(support, options, system, code, display, vs.getUrl());
        }
        return null;
    }

    @Override
    public CodeValidationResult validateCode(ValidationSupportContext support, ConceptValidationOptions options,
            String system, String code, String display, String valueSetUrl) {
        if (valueSetUrl == null || code == null) {
            return null;
        }
        Optional<ValueSetMembership.Membership> answer = membership.check(valueSetUrl, system, code);
        if (answer.isEmpty()) {
            return null;
        }
        if (answer.get().member()) {
            return new CodeValidationResult().setCode(code).setCodeSystemName(system)
                    .setDisplay(answer.get().display().orElse(display));
        }
        return new CodeValidationResult().setSeverity(IssueSeverity.ERROR).setCode(null)
                .setMessage("the code '" + (system == null ? "" : system + "|") + code + "' is not in the value set "
                        + valueSetUrl);
    }
}
