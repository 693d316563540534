package dev.fhirbolt.validation;

import java.util.Optional;

/**
 * The seam between validation and a terminology service: whether a code is in a value set. The validator asks it
 * before its own in-memory expansion, so value sets too large to expand in memory (or held in a terminology index)
 * can be checked. {@link #NONE} knows no value set, and the validator falls back to what it can expand itself.
 */
public interface ValueSetMembership {

    ValueSetMembership NONE = (valueSet, system, code) -> Optional.empty();

    /**
     * Whether {@code system|code} is in the value set; empty when this service cannot tell (an unknown value set).
     *
     * @param valueSet the value set's canonical URL (a version after {@code |} allowed)
     * @param system the code's system; null when the element has none (a {@code code} element)
     */
    Optional<Membership> check(String valueSet, String system, String code);

    /** The answer for a known value set, with the display the code has there (if any). */
    record Membership(boolean member, Optional<String> display) {
    }
}
