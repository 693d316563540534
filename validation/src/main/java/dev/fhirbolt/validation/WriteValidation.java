package dev.fhirbolt.validation;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** Validates a resource about to be written, as the policy asks for its type. */
public final class WriteValidation {

    private final ValidationPolicy policy;
    private final BaseChecks base;
    private final ResourceValidator full;

    public WriteValidation(ValidationPolicy policy, BaseChecks base, ResourceValidator full) {
        this.policy = policy;
        this.base = base;
        this.full = full;
    }

    public ValidationReport check(Resource resource) {
        return switch (policy.modeFor(resource.fhirType())) {
            case OFF -> ValidationReport.VALID;
            case BASE -> base.check(resource);
            case PROFILES -> profiles(resource);
        };
    }

    /** Base and the full validator; base's invariant issues are left out, the full validator reports them too. */
    private ValidationReport profiles(Resource resource) {
        ValidationReport cheap = base.check(resource);
        ValidationReport thorough = full.validate(resource, policy.profilesFor(resource.fhirType()));
        if (cheap.issues().isEmpty()) {
            return thorough;
        }
        List<ValidationIssue> all = new ArrayList<>(cheap.issues());
        all.removeIf(i -> i.code().equals("invariant"));
        all.addAll(thorough.issues());
        return new ValidationReport(all);
    }
}
