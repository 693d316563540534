package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteOutcome;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * A plain update or delete by a caller with a {@link WriteGuard}: the guard judges the current version, and the write
 * expects that very version, so a concurrent write that moves the resource out of the caller's reach between the
 * check and the commit makes the write start over instead of landing on a resource the caller may not touch.
 */
public final class GuardedCommit {

    /** Optimistic attempts before the check and the write run inside an exclusive commit, where nothing can race. */
    private static final int OPTIMISTIC_ATTEMPTS = 3;

    private GuardedCommit() {
    }

    /**
     * Checks with {@code check} and commits {@code write} (given the expectation to write with) as one step as far as
     * other writers can tell; {@code ifMatch} is the client's If-Match, which must name the version checked.
     */
    public static WriteOutcome commit(ResourceStore store, String type, String id, OptionalLong ifMatch,
            Runnable check, Function<Expectation, Write> write) {
        for (int attempt = 1; attempt <= OPTIMISTIC_ATTEMPTS; attempt++) {
            Optional<ResourceVersion> current = store.readCurrent(type, id).filter(v -> !v.deleted());
            checkIfMatch(ifMatch, type, id, current);
            check.run();
            Expectation pinned = current.<Expectation>map(v -> new Expectation.Version(v.version()))
                    .orElse(Expectation.ABSENT);
            try {
                return store.commit(Commit.of(write.apply(pinned))).get(0);
            } catch (FhirException e) {
                boolean changedSinceCheck = e.status() == 412 || e.status() == 409;
                if (!changedSinceCheck || ifMatch.isPresent()) {
                    throw e;
                }
            }
        }
        return store.commitExclusively(() -> {
            Optional<ResourceVersion> current = store.readCurrent(type, id).filter(v -> !v.deleted());
            checkIfMatch(ifMatch, type, id, current);
            check.run();
            return new CommitPlanner.Plan<>(Commit.of(write.apply(Expectation.ANY)), null);
        }).outcomes().get(0);
    }

    /** 412 unless If-Match (when given) names the current version. */
    public static void checkIfMatch(OptionalLong ifMatch, String type, String id, Optional<ResourceVersion> current) {
        if (ifMatch.isEmpty()) {
            return;
        }
        long actual = current.map(ResourceVersion::version).orElse(0L);
        if (ifMatch.getAsLong() != actual) {
            throw FhirException.preconditionFailed("version conflict on " + type + "/" + id
                    + ": If-Match asked for version " + ifMatch.getAsLong()
                    + (actual == 0 ? " but the resource does not exist" : " but the current is " + actual));
        }
    }
}
