package dev.fhirbolt.rest.integrity;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.Issue;
import dev.fhirbolt.common.IssueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Referential integrity on delete: a resource that others refer to is not deleted (409 naming the referrers), unless
 * the request asks {@code _cascade=delete}, which deletes the referrers too (and theirs), up to a limit.
 */
public final class DeleteGuard {

    /** Referrers named in a refusal. */
    private static final int NAMED = 10;

    private final Referrers referrers;
    private final int cascadeMax;

    public DeleteGuard(Referrers referrers, int cascadeMax) {
        this.referrers = referrers;
        this.cascadeMax = cascadeMax;
    }

    /** Why deleting the resource would be refused (one issue per referrer named); empty when it may go. */
    public List<Issue> problems(String type, String id) {
        Set<String> found = referrers.of(type, id, NAMED);
        List<Issue> issues = new ArrayList<>();
        for (String referrer : found) {
            issues.add(new Issue("error", "conflict", type + "/" + id + " is referred to by " + referrer,
                    Optional.empty(), 0, 0));
        }
        return issues;
    }

    /** Refuses (409) the delete of a referenced resource. */
    public void checkDeletable(String type, String id) {
        List<Issue> issues = problems(type, id);
        if (!issues.isEmpty()) {
            throw new FhirException(409, IssueType.CONFLICT, type + "/" + id + " is referred to by "
                    + String.join(", ", referrerNames(issues)) + (issues.size() >= NAMED ? " and maybe more" : "")
                    + "; delete those first, or ask for _cascade=delete", issues);
        }
    }

    /**
     * Refuses (409) the delete of {@code Type/id} inside a transaction if something still refers to it once the
     * transaction is applied: a stored referrer that the transaction neither deletes nor rewrites without the reference,
     * or a resource the transaction writes with a reference to it.
     *
     * @param deleted every {@code Type/id} the transaction deletes
     * @param referencesAfter for every {@code Type/id} the transaction creates, updates or patches, the
     *     {@code Type/id}s it refers to as stored
     */
    public void checkDeletableAfter(String type, String id, Set<String> deleted,
            java.util.Map<String, Set<String>> referencesAfter) {
        String target = type + "/" + id;
        Set<String> still = new LinkedHashSet<>();
        for (String referrer : referrers.of(type, id, NAMED + deleted.size() + referencesAfter.size())) {
            if (deleted.contains(referrer)) {
                continue;
            }
            Set<String> after = referencesAfter.get(referrer);
            if (after == null || after.contains(target)) {
                still.add(referrer);
            }
        }
        for (var written : referencesAfter.entrySet()) {
            if (written.getValue().contains(target)) {
                still.add(written.getKey());
            }
        }
        if (!still.isEmpty()) {
            List<Issue> issues = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String referrer : still) {
                if (names.size() < NAMED) {
                    names.add(referrer);
                    issues.add(new Issue("error", "conflict", target + " is referred to by " + referrer
                            + " after this transaction", Optional.empty(), 0, 0));
                }
            }
            throw new FhirException(409, IssueType.CONFLICT, target + " would still be referred to by "
                    + String.join(", ", names) + (still.size() > NAMED ? " and more" : "") + " after this"
                    + " transaction; delete or change those in it too", issues);
        }
    }

    /**
     * Everything a cascading delete of the resource removes besides it: its referrers, theirs, and so on, as
     * {@code Type/id}; more than the limit is refused (409).
     */
    public Set<String> cascade(String type, String id) {
        Set<String> all = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(type + "/" + id);
        while (!todo.isEmpty()) {
            String next = todo.poll();
            int slash = next.indexOf('/');
            for (String referrer : referrers.of(next.substring(0, slash), next.substring(slash + 1), cascadeMax + 1)) {
                if (!referrer.equals(type + "/" + id) && all.add(referrer)) {
                    if (all.size() > cascadeMax) {
                        throw FhirException.conflict("_cascade=delete of " + type + "/" + id + " would delete more"
                                + " than " + cascadeMax + " resources; delete some of its referrers first");
                    }
                    todo.add(referrer);
                }
            }
        }
        return all;
    }

    private static List<String> referrerNames(List<Issue> issues) {
        List<String> names = new ArrayList<>();
        for (Issue i : issues) {
            names.add(i.diagnostics().substring(i.diagnostics().lastIndexOf(' ') + 1));
        }
        return names;
    }
}
