package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.bundle.TransactionPlan.Action;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * The first step of a plan: what each entry does, once its conditional matches and patch base are read. One
 * small method per kind of entry, so that the JIT compiles the common ones without the rest.
 */
final class TransactionDecisions {

    final TransactionPlan plan = new TransactionPlan();
    final Map<Integer, String> ids = new HashMap<>();
    final Map<Integer, Resource> bodies = new HashMap<>();
    final Map<Integer, List<String>> deletes = new HashMap<>();
    final Map<Integer, Long> patchedVersions = new HashMap<>();
    final Map<String, String> fullUrls = new HashMap<>();
    private final Map<String, TransactionEntry> identities = new HashMap<>();
    private final StateReader reader;
    private final String baseUrl;
    private final int maxConditionalDeletes;

    TransactionDecisions(StateReader reader, String baseUrl, int maxConditionalDeletes) {
        this.reader = reader;
        this.baseUrl = baseUrl;
        this.maxConditionalDeletes = maxConditionalDeletes;
    }

    /** {@code Type/id} of every resource the plan creates, updates or patches. */
    Set<String> written(List<TransactionEntry> ordered) {
        Set<String> written = new HashSet<>();
        for (TransactionEntry e : ordered) {
            Action action = plan.actions.get(e.p.index());
            if (action == Action.CREATE || action == Action.UPDATE || action == Action.PATCH) {
                written.add(e.type() + "/" + ids.get(e.p.index()));
            }
        }
        return written;
    }

    void decide(TransactionEntry e) {
        ParsedEntry p = e.p;
        if (p.isRead()) {
            plan.actions.put(p.index(), Action.READ);
            return;
        }
        try {
            switch (p.route().kind()) {
                case CREATE -> create(e);
                case UPDATE -> update(e, p.route().requireId());
                case CONDITIONAL_UPDATE -> conditionalUpdate(e);
                case PATCH, CONDITIONAL_PATCH -> patch(e);
                case DELETE -> delete(e, List.of(p.route().requireId()));
                case CONDITIONAL_DELETE -> conditionalDelete(e);
                default -> throw new IllegalStateException(p.route().kind().name());
            }
        } catch (FhirException ex) {
            throw TransactionProcessor.atEntry(p, ex);
        }
        remember(e);
    }

    private void create(TransactionEntry e) {
        ParsedEntry p = e.p;
        Optional<String> ifNoneExist = p.header("If-None-Exist");
        String match = ifNoneExist.isPresent() ? ifNoneExistMatch(e.type(), ifNoneExist.get()) : null;
        if (match != null) {
            plan.actions.put(p.index(), Action.EXISTING);
            plan.existing.put(p.index(), match);
            ids.put(p.index(), match);
        } else {
            plan.actions.put(p.index(), Action.CREATE);
            ids.put(p.index(), e.newId);
            holdBody(e);
        }
    }

    private String ifNoneExistMatch(String type, String ifNoneExist) {
        List<String> found = reader.match(InteractionKind.CREATE, type, criteria(ifNoneExist, "ifNoneExist"), 2);
        if (found.size() > 1) {
            throw new FhirException(412, IssueType.MULTIPLE_MATCHES, "ifNoneExist '" + ifNoneExist
                    + "' matched more than one " + type);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private void update(TransactionEntry e, String id) {
        plan.actions.put(e.p.index(), Action.UPDATE);
        ids.put(e.p.index(), id);
        holdBody(e);
    }

    /** The body to write, when the entry holds it (a released entry's is read again when staged). */
    private void holdBody(TransactionEntry e) {
        if (e.reload == null) {
            bodies.put(e.p.index(), e.p.resource());
        }
    }

    private void conditionalUpdate(TransactionEntry e) {
        ParsedEntry p = e.p;
        String type = e.type();
        List<String> found = reader.match(p.route().kind(), type, requireCriteria(p), 2);
        if (found.size() > 1) {
            throw new FhirException(412, IssueType.MULTIPLE_MATCHES, "the criteria matched more"
                    + " than one " + type + "; a conditional update needs one or none");
        }
        String bodyId = e.bodyId;
        String id = found.isEmpty() ? (bodyId != null ? bodyId : e.newId) : found.get(0);
        if (!found.isEmpty() && bodyId != null && !bodyId.equals(id)) {
            throw FhirException.invalid("the criteria matched " + type + "/" + id
                    + " but the resource's id is '" + bodyId + "'");
        }
        update(e, id);
    }

    private void patch(TransactionEntry e) {
        ParsedEntry p = e.p;
        String type = e.type();
        String id;
        if (p.route().kind() == InteractionKind.PATCH) {
            id = p.route().requireId();
        } else {
            List<String> found = reader.match(p.route().kind(), type, requireCriteria(p), 2);
            if (found.size() != 1) {
                throw found.isEmpty() ? FhirException.notFound("no " + type + " matched "
                        + p.params() + "; nothing to patch")
                        : new FhirException(412, IssueType.MULTIPLE_MATCHES, "the criteria matched"
                                + " more than one " + type + "; a conditional patch needs one");
            }
            id = found.get(0);
        }
        ResourceVersion current = reader.current(type, id).orElseThrow(() ->
                FhirException.notFound(type + "/" + id + " is not known; nothing to patch"));
        if (current.deleted()) {
            throw FhirException.gone(type + "/" + id + " was deleted; nothing to patch");
        }
        if (e.ifMatch.isPresent() && e.ifMatch.getAsLong() != current.version()) {
            throw FhirException.preconditionFailed("ifMatch asked for version "
                    + e.ifMatch.getAsLong() + " of " + type + "/" + id + " but the current is "
                    + current.version());
        }
        plan.actions.put(p.index(), Action.PATCH);
        ids.put(p.index(), id);
        bodies.put(p.index(), e.patch.apply(current));
        patchedVersions.put(p.index(), current.version());
    }

    private void delete(TransactionEntry e, List<String> found) {
        plan.actions.put(e.p.index(), Action.DELETE);
        deletes.put(e.p.index(), found);
    }

    private void conditionalDelete(TransactionEntry e) {
        int limit = Math.max(1, maxConditionalDeletes);
        List<String> found = reader.match(e.p.route().kind(), e.type(), requireCriteria(e.p), limit + 1);
        if (found.size() > limit || (found.size() > 1 && maxConditionalDeletes <= 1)) {
            throw new FhirException(412, IssueType.MULTIPLE_MATCHES, "the criteria matched more"
                    + " than " + limit + " " + e.type() + "; narrow them down");
        }
        delete(e, found);
    }

    /**
     * The entry's writes, in processing order: deletes as they are, others with their references resolved and
     * checked as they will be stored, pending their encoding.
     */
    void stage(TransactionEntry e, Map<String, String> conditionalTargets, WriteGuard guard,
            List<PendingWrite> pending) {
        int index = e.p.index();
        Action action = plan.actions.get(index);
        if (action == Action.READ || action == Action.EXISTING) {
            return;
        }
        List<Integer> mine = new ArrayList<>();
        if (action == Action.DELETE) {
            for (String id : deletes.get(index)) {
                Expectation expectation = e.p.route().kind() == InteractionKind.DELETE
                        ? Expectation.of(e.ifMatch) : Expectation.ANY;
                mine.add(plan.writes.size());
                plan.writes.add(Write.delete(e.type(), id, expectation));
            }
        } else {
            Resource body = bodies.get(index);
            List<References.Slot> slots;
            if (body == null) {
                body = e.body(); // a released entry, read again for this write only
                slots = References.of(body);
            } else {
                slots = action == Action.PATCH ? References.of(body) : e.slots;
            }
            for (References.Slot slot : slots) {
                slot.set(resolve(slot.original(), fullUrls, conditionalTargets, reader));
            }
            String id = ids.get(index);
            // judged with its references resolved, as it will be stored
            guard.checkStored(e.p.route().kind(), e.type(), id, body);
            pending.add(switch (action) {
                case CREATE -> new PendingWrite(e, plan.writes.size(), WriteMethod.CREATE, id, body,
                        Expectation.ABSENT);
                case UPDATE -> new PendingWrite(e, plan.writes.size(), WriteMethod.UPDATE, id, body,
                        Expectation.of(e.ifMatch));
                case PATCH -> new PendingWrite(e, plan.writes.size(), WriteMethod.PATCH, id, body,
                        new Expectation.Version(patchedVersions.get(index)));
                default -> throw new IllegalStateException(action.name());
            });
            mine.add(plan.writes.size());
            plan.writes.add(null);
        }
        plan.writeIndexes.put(index, mine);
    }

    /** The entry's fullUrl now names its target, and no other entry may change what it changes. */
    private void remember(TransactionEntry e) {
        ParsedEntry p = e.p;
        String id = ids.get(p.index());
        if (id != null && p.fullUrl() != null) {
            String target = e.type() + "/" + id;
            fullUrls.put(p.fullUrl(), target);
            if (p.fullUrl().startsWith(baseUrl + "/")) {
                fullUrls.put(p.fullUrl().substring(baseUrl.length() + 1), target);
            }
        }
        List<String> touched = new ArrayList<>(deletes.getOrDefault(p.index(), List.of()));
        if (plan.actions.get(p.index()) != Action.EXISTING && id != null) {
            touched.add(id);
        }
        for (String t : touched) {
            TransactionEntry earlier = identities.putIfAbsent(e.type() + "/" + t, e);
            if (earlier != null) {
                throw TransactionProcessor.atEntry(p, FhirException.invalid("entries " + earlier.p.index() + " and "
                        + p.index() + " both change " + e.type() + "/" + t
                        + "; a transaction may change a resource once"));
            }
        }
    }

    /** A write whose references are resolved, to encode and index. */
    record PendingWrite(TransactionEntry entry, int position, WriteMethod method, String id, Resource body,
            Expectation expectation) {
    }

    private static Params criteria(String query, String what) {
        String trimmed = query.trim();
        int q = trimmed.indexOf('?');
        Params params = Params.parse(q >= 0 ? trimmed.substring(q + 1) : trimmed);
        if (params.isEmpty()) {
            throw FhirException.invalid(what + " has no search criteria");
        }
        return params;
    }

    private static Params requireCriteria(ParsedEntry p) {
        Params params = p.params().without(n -> n.equals("_format") || n.equals("_pretty"));
        if (params.isEmpty()) {
            throw FhirException.invalid("a conditional " + p.method() + " needs search criteria in its URL,"
                    + " e.g. " + p.route().requireType() + "?identifier=system|value");
        }
        return params;
    }

    /** Where a reference points once the transaction is applied. */
    private static String resolve(String original, Map<String, String> fullUrls, Map<String, String> conditional,
            StateReader reader) {
        String target = fullUrls.get(original);
        if (target != null) {
            return target;
        }
        if (References.isConditional(original)) {
            String known = conditional.get(original);
            if (known != null) {
                return known;
            }
            int q = original.indexOf('?');
            String type = original.substring(0, q);
            List<String> found = reader.match(InteractionKind.SEARCH_TYPE, type,
                    Params.parse(original.substring(q + 1)), 2);
            if (found.isEmpty()) {
                throw new FhirException(412, IssueType.NOT_FOUND, "the conditional reference '" + original
                        + "' matches no " + type);
            }
            if (found.size() > 1) {
                throw new FhirException(412, IssueType.MULTIPLE_MATCHES, "the conditional reference '" + original
                        + "' matches more than one " + type + "; it must identify exactly one");
            }
            String resolved = type + "/" + found.get(0);
            conditional.put(original, resolved);
            return resolved;
        }
        if (original.startsWith("urn:uuid:") || original.startsWith("urn:oid:")) {
            throw FhirException.invalid("the reference '" + original + "' is not the fullUrl of any entry in"
                    + " the transaction");
        }
        return original;
    }
}
