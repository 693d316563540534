package dev.fhirbolt.rest;

import java.util.function.LongConsumer;

/**
 * How far a long request has got, for a caller inside the process (the offline loader's progress bar): the request
 * carries a {@link LongConsumer} under {@link #ATTRIBUTE} that a large transaction tells, as it goes, how many bytes
 * of its body it has processed. Reported progress is work done, not committed: a transaction commits all at once.
 */
public final class BodyProgress {

    public static final String ATTRIBUTE = "fhirbolt.progress";
    private static final LongConsumer NONE = n -> { };

    private BodyProgress() {
    }

    public static LongConsumer of(FhirRequest request) {
        return request.attribute(ATTRIBUTE, LongConsumer.class).orElse(NONE);
    }
}
