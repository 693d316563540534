package dev.fhirbolt.database;

/**
 * Decides what to write while no other write can happen: runs in the commit pipeline after every earlier commit is
 * durable, so searches it makes (conditional create/update/delete, conditional references) see the exact state the
 * writes will apply to. It must not submit commits itself.
 */
@FunctionalInterface
public interface CommitPlanner<P> {

    /** A plan: the commit to apply (maybe empty) and anything the caller wants back. */
    record Plan<P>(Commit commit, P payload) {
    }

    Plan<P> plan();
}
