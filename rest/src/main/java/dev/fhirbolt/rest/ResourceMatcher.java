package dev.fhirbolt.rest;

import java.util.List;

/**
 * Finds the ids of current resources of a type matching search criteria; conditional create, update, delete and patch
 * and transaction conditional references rest on it. Called inside an exclusive commit, so it sees committed state.
 */
@FunctionalInterface
public interface ResourceMatcher {

    /** At most {@code limit} ids; the caller asks for one more than it accepts to detect "too many". */
    List<String> matchIds(String type, Params criteria, int limit);
}
