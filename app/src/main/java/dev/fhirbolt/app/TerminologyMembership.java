package dev.fhirbolt.app;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.terminology.Member;
import dev.fhirbolt.terminology.TerminologyService;
import dev.fhirbolt.validation.ValueSetMembership;
import java.util.Optional;

/**
 * The validator's value-set membership answered by the terminology module, for the value sets stored on the server
 * (uploaded, or installed from packages): decided from the compose and the code systems' indexes, so value sets too
 * large for the validator's own in-memory expansion are checked too. Core value sets are left to the validator. What
 * the terminology module refuses to decide (an unknown value set or code system, an import it cannot resolve, a value
 * set too large) is "cannot tell", never a failure: the validator then falls back to its own expansion.
 */
final class TerminologyMembership implements ValueSetMembership {

    private final TerminologyService terminology;
    private final dev.fhirbolt.terminology.ValueSetMembership membership;

    TerminologyMembership(TerminologyService terminology) {
        this.terminology = terminology;
        this.membership = new dev.fhirbolt.terminology.ValueSetMembership(terminology);
    }

    @Override
    public Optional<Membership> check(String valueSet, String system, String code) {
        try {
            return terminology.storedValueSet(valueSet).map(vs -> membership.find(vs, system, code))
                    .map(found -> new Membership(found.isPresent(), found.map(Member::display)
                            .filter(d -> d != null && !d.isEmpty())));
        } catch (FhirException e) {
            if (e.status() >= 400 && e.status() < 500) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
