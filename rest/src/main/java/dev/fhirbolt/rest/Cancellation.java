package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import java.util.function.BooleanSupplier;

/**
 * A caller's way to abandon a long request before it commits (the offline loader's Ctrl-C): the request carries a
 * {@link BooleanSupplier} under {@link #ATTRIBUTE}, and a transaction checks it between its steps. Once the commit
 * has started it is not abandoned: it ends as it would have.
 */
public final class Cancellation {

    public static final String ATTRIBUTE = "fhirbolt.cancelled";

    private Cancellation() {
    }

    /** What to call between steps of {@code request}: throws (503, nothing stored) once it was abandoned. */
    public static Runnable checkpoint(FhirRequest request) {
        BooleanSupplier cancelled = request.attribute(ATTRIBUTE, BooleanSupplier.class).orElse(null);
        if (cancelled == null) {
            return () -> { };
        }
        return () -> {
            if (cancelled.getAsBoolean()) {
                throw abandoned();
            }
        };
    }

    /** Whether {@code e} is the refusal of an abandoned request. */
    public static boolean isAbandoned(FhirException e) {
        return e.status() == 503 && e.getMessage().startsWith(MESSAGE);
    }

    private static final String MESSAGE = "abandoned by its sender";

    private static FhirException abandoned() {
        return new FhirException(503, IssueType.TRANSIENT, MESSAGE + " before it was committed; nothing of it was"
                + " stored");
    }
}
