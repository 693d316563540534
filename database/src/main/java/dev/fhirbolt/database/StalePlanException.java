package dev.fhirbolt.database;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;

/**
 * A replicated commit was planned on a state that changed before the log reached it: a type it read was written
 * after the transaction it was planned on. Every node refuses it alike; its writer plans it again.
 */
public final class StalePlanException extends FhirException {

    public StalePlanException(String type, long baseT) {
        super(409, IssueType.CONFLICT, "the data this change was planned on (" + type + " as of transaction " + baseT
                + ") changed before it could be applied; try again");
    }
}
