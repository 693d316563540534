package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.rest.Cancellation;
import dev.fhirbolt.rest.ETags;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.IdGenerator;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.Prefer;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Router;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.WriteResponses;
import dev.fhirbolt.rest.Writes;
import dev.fhirbolt.rest.patch.PatchDocument;
import dev.fhirbolt.rest.patch.Patches;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Resource;

/**
 * A transaction: every write of the Bundle in ONE {@link Commit}, planned inside
 * {@link ResourceStore#commitExclusively} so it is serializable with every other write.
 *
 * <p>Planning is done twice at most. It first runs on the request thread (parsing, conditional matches, reference
 * rewriting, patching and JSON encoding, the expensive part) while recording every search answer and version it
 * read. The exclusive planner then only re-asks those questions: when every answer is unchanged the prepared writes
 * are committed as they are; when something changed in between, the plan is redone inside the planner against the
 * now-frozen state. Either way the writes apply to exactly the state they were planned on.
 */
final class TransactionProcessor {

    private final ResourceStore store;
    private final Writes writes;
    private final ResourceMatcher matcher;
    private final Supplier<FhirApi> api;
    private final int maxConditionalDeletes;
    private final java.util.Optional<dev.fhirbolt.rest.integrity.DeleteGuard> deleteGuard;
    /** How many read-again resources are encoded together before they are let go. */
    private static final int STREAMED_BATCH = 128;

    TransactionProcessor(ResourceStore store, Writes writes, ResourceMatcher matcher, Supplier<FhirApi> api,
            int maxConditionalDeletes, java.util.Optional<dev.fhirbolt.rest.integrity.DeleteGuard> deleteGuard) {
        this.store = store;
        this.writes = writes;
        this.matcher = matcher;
        this.api = api;
        this.maxConditionalDeletes = maxConditionalDeletes;
        this.deleteGuard = deleteGuard;
    }

    private enum Action {
        CREATE, EXISTING, UPDATE, PATCH, DELETE, READ
    }

    /** An entry with what can be known before reading any state. */
    private static final class TxEntry {
        ParsedEntry p;
        List<References.Slot> slots;
        final String newId;
        final PatchDocument patch;
        final OptionalLong ifMatch;
        /** The id in the body (as the URL names it for a urn:uuid PUT), null: none. */
        final String bodyId;
        /** Told once the entry's write is staged (a large transaction's progress); null: nothing to tell. */
        Runnable staged;
        /** Reads the entry's resource again once it was let go ({@link #release}); null while it is held. */
        Supplier<Resource> reload;

        TxEntry(ParsedEntry p) {
            this.p = p;
            InteractionKind kind = p.route().kind();
            boolean writesBody = kind == InteractionKind.CREATE || kind == InteractionKind.UPDATE
                    || kind == InteractionKind.CONDITIONAL_UPDATE;
            this.slots = writesBody ? References.of(p.resource()) : List.of();
            this.newId = kind == InteractionKind.CREATE || kind == InteractionKind.CONDITIONAL_UPDATE
                    ? IdGenerator.next() : null;
            this.patch = kind == InteractionKind.PATCH || kind == InteractionKind.CONDITIONAL_PATCH
                    ? Patches.fromResource(p.resource()) : null;
            this.ifMatch = ETags.version(p.header("If-Match").orElse(null), "If-Match");
            if (kind == InteractionKind.UPDATE) {
                String bodyId = p.resource().hasIdElement() ? p.resource().getIdElement().getIdPart() : null;
                if (bodyId != null && bodyId.equals(p.fullUrl()) && isUrnFor(bodyId, p.route().requireId())) {
                    // the parser takes a urn fullUrl for the id; "urn:uuid:X" with PUT Patient/X means id X
                    p.resource().setId(p.route().requireId());
                    bodyId = p.route().requireId();
                }
                if (bodyId == null || !bodyId.equals(p.route().requireId())) {
                    throw FhirException.invalid("the resource id '" + bodyId + "' must equal the URL's id '"
                            + p.route().requireId() + "'");
                }
            }
            if (kind == InteractionKind.CONDITIONAL_UPDATE && p.resource().hasIdElement()
                    && p.resource().getIdElement().getIdPart() != null
                    && !Router.isValidId(p.resource().getIdElement().getIdPart())) {
                throw FhirException.invalid("'" + p.resource().getIdElement().getIdPart()
                        + "' is not a valid FHIR id");
            }
            this.bodyId = p.resource() != null && p.resource().hasIdElement()
                    ? p.resource().getIdElement().getIdPart() : null;
        }

        /**
         * Lets the entry's resource go once it was checked: it is read again from the body when its write is staged
         * ({@code read} parses the entry afresh), so a large transaction never holds all its resources at once.
         */
        void release(Supplier<Resource> read) {
            if (p.resource() == null) {
                return;
            }
            String urlId = p.route().kind() == InteractionKind.UPDATE ? p.route().requireId() : null;
            this.reload = () -> {
                Resource r = read.get();
                if (urlId != null) {
                    r.setId(urlId); // as the constructor did for a urn:uuid PUT; a plain PUT already has this id
                }
                return r;
            };
            this.p = p.withoutResource();
            this.slots = List.of();
        }

        /** The entry's resource for its write: the one held, or one read afresh. */
        Resource body() {
            return reload != null ? reload.get() : p.resource();
        }

        String type() {
            return p.route().requireType();
        }

        private static boolean isUrnFor(String fullUrl, String id) {
            return fullUrl.equals("urn:uuid:" + id) || fullUrl.equals("urn:oid:" + id);
        }
    }

    /** The plan: the writes in processing order and, per entry, what it did. */
    private static final class Plan {
        final List<Write> writes = new ArrayList<>();
        final Map<Integer, Action> actions = new HashMap<>();
        final Map<Integer, List<Integer>> writeIndexes = new HashMap<>();
        final Map<Integer, String> existing = new HashMap<>();
    }

    FhirResponse process(FhirRequest request, List<ParsedEntry> parsed) {
        List<TxEntry> entries = new ArrayList<>(parsed.size());
        Runnable checkpoint = Cancellation.checkpoint(request);
        for (ParsedEntry p : parsed) {
            checkpoint.run();
            entries.add(checked(request, p));
        }
        return commit(request, entries);
    }

    /**
     * A large transaction read entry by entry: each is parsed, checked and let go, and parsed again when its write is
     * staged, so only the body, the entries' requests and the stored forms are held, never every resource at once.
     * The commit is the same single, atomic one.
     */
    FhirResponse process(FhirRequest request, StreamedBundle bundle) {
        List<TxEntry> entries = new ArrayList<>(bundle.size());
        UniqueFullUrls fullUrls = new UniqueFullUrls();
        Runnable checkpoint = Cancellation.checkpoint(request);
        java.util.function.LongConsumer progress = dev.fhirbolt.rest.BodyProgress.of(request);
        for (int i = 0; i < bundle.size(); i++) {
            checkpoint.run();
            ParsedEntry p = parse(bundle, i, request.baseUrl());
            fullUrls.add(i, p.fullUrl());
            TxEntry e = checked(request, p);
            // half of an entry's work is reading and checking it, the other half writing it
            long half = bundle.length(i) / 2;
            progress.accept(half);
            long rest = bundle.length(i) - half;
            e.staged = () -> progress.accept(rest);
            int index = i;
            e.release(() -> parse(bundle, index, request.baseUrl()).resource());
            entries.add(e);
        }
        return commit(request, entries);
    }

    private static ParsedEntry parse(StreamedBundle bundle, int index, String baseUrl) {
        try {
            return ParsedEntry.parse(index, bundle.entry(index), baseUrl);
        } catch (FhirException e) {
            throw new FhirException(e.status(), e.issueType(), "transaction failed: " + e.getMessage()
                    + "; nothing was stored", "Bundle.entry[" + index + "]", e);
        }
    }

    /** The entry with what can be known without reading state, its write authorized. */
    private TxEntry checked(FhirRequest request, ParsedEntry p) {
        InteractionKind kind = p.route().kind();
        if (!p.isRead() && !isWrite(kind)) {
            throw atEntry(p, FhirException.notSupported("a transaction entry may create, update, patch,"
                    + " delete or read; " + p.method() + " " + p.url() + " is none of these"));
        }
        try {
            TxEntry e = new TxEntry(p);
            if (!p.isRead()) {
                // authorization of each write on its own, before anything is planned (reads go through the API)
                api.get().filter().checkWrite(p.toRequest(request), p.route(), p.resource());
            }
            return e;
        } catch (FhirException e) {
            throw atEntry(p, e);
        }
    }

    private FhirResponse commit(FhirRequest request, List<TxEntry> entries) {
        List<TxEntry> ordered = new ArrayList<>(entries);
        ordered.sort(java.util.Comparator.comparingInt((TxEntry e) -> e.p.rank()).thenComparingInt(e -> e.p.index()));

        WriteGuard guard = WriteGuard.of(request);
        StateReader live = new StateReader(store, matcher, guard);
        StateReader.Recording recording = new StateReader.Recording(live);
        Runnable checkpoint = Cancellation.checkpoint(request);
        Plan prepared;
        try {
            prepared = plan(ordered, recording, request.baseUrl(), guard, checkpoint);
        } catch (FhirException e) {
            if (Cancellation.isAbandoned(e)) {
                throw e;
            }
            prepared = null; // decide authoritatively inside the planner
        }
        Plan first = prepared;
        var committed = store.commitExclusively(() -> {
            Plan plan = first != null && recording.unchanged(live) ? first
                    : plan(ordered, new StateReader.Recording(live), request.baseUrl(), guard, checkpoint);
            checkIfMatch(ordered, plan);
            return new CommitPlanner.Plan<>(new Commit(plan.writes), plan);
        });
        return respond(request, entries, committed.payload(), committed.outcomes());
    }

    private static boolean isWrite(InteractionKind kind) {
        return switch (kind) {
            case CREATE, UPDATE, CONDITIONAL_UPDATE, PATCH, CONDITIONAL_PATCH, DELETE, CONDITIONAL_DELETE -> true;
            default -> false;
        };
    }

    private Plan plan(List<TxEntry> ordered, StateReader reader, String baseUrl, WriteGuard guard,
            Runnable checkpoint) {
        // 1. decide what each entry does (conditional matches, patch bases)
        Decisions decided = new Decisions(reader, baseUrl);
        for (TxEntry e : ordered) {
            checkpoint.run();
            decided.decide(e);
        }
        // 2. rewrite references in processing order, then encode and index (on every core for large transactions)
        Map<String, String> conditionalTargets = new HashMap<>();
        List<PendingWrite> pending = new ArrayList<>();
        java.util.Set<String> written = decided.written(ordered);
        // deletes are judged on the final state: what every write refers to, noted before a batch is let go
        boolean judgeDeletes = deleteGuard.isPresent() && !decided.deletes.isEmpty();
        Map<String, java.util.Set<String>> referencesAfter = new HashMap<>();
        for (TxEntry e : ordered) {
            checkpoint.run();
            try {
                decided.stage(e, conditionalTargets, guard, pending);
            } catch (FhirException ex) {
                // the entries before this one are encoded first: a failure there is reported as before
                encode(pending, decided.plan, written);
                throw atEntry(e.p, ex);
            }
            if (e.staged != null) {
                e.staged.run();
            }
            if (e.reload != null && pending.size() >= STREAMED_BATCH) {
                // read-again resources are encoded a few at a time and let go: only their stored form is kept
                if (judgeDeletes) {
                    noteReferences(pending, referencesAfter, baseUrl);
                }
                encode(pending, decided.plan, written);
                pending.clear();
            }
        }
        encode(pending, decided.plan, written);
        if (judgeDeletes) {
            noteReferences(pending, referencesAfter, baseUrl);
            checkDeletes(deleteGuard.get(), ordered, decided.deletes, referencesAfter);
        }
        return decided.plan;
    }

    /** Deleted resources must not be referred to once the transaction is applied (its final state). */
    /** Notes, for each write, the {@code Type/id}s its resource refers to. */
    private static void noteReferences(List<PendingWrite> pending, Map<String, java.util.Set<String>> after,
            String baseUrl) {
        for (PendingWrite w : pending) {
            java.util.Set<String> targets = new java.util.HashSet<>();
            for (String value : References.values(w.body())) {
                targets.add(literal(value, baseUrl));
            }
            after.put(w.entry().type() + "/" + w.id(), targets);
        }
    }

    private static void checkDeletes(dev.fhirbolt.rest.integrity.DeleteGuard guard, List<TxEntry> ordered,
            Map<Integer, List<String>> deletes, Map<String, java.util.Set<String>> after) {
        java.util.Set<String> deleted = new java.util.LinkedHashSet<>();
        for (TxEntry e : ordered) {
            for (String id : deletes.getOrDefault(e.p.index(), List.of())) {
                deleted.add(e.type() + "/" + id);
            }
        }
        for (TxEntry e : ordered) {
            for (String id : deletes.getOrDefault(e.p.index(), List.of())) {
                try {
                    guard.checkDeletableAfter(e.type(), id, deleted, after);
                } catch (FhirException ex) {
                    throw atEntry(e.p, ex);
                }
            }
        }
    }

    /** {@code Type/id} of a reference value (the server's own base and a version removed). */
    private static String literal(String value, String baseUrl) {
        String v = value.startsWith(baseUrl + "/") ? value.substring(baseUrl.length() + 1) : value;
        int history = v.indexOf("/_history/");
        return history < 0 ? v : v.substring(0, history);
    }

    /** Encodes and indexes the pending writes into their places in the plan; the first failure names its entry. */
    private void encode(List<PendingWrite> pending, Plan plan, java.util.Set<String> written) {
        ParallelWork.Result<Write>[] encoded = ParallelWork.run(pending.size(), i -> {
            PendingWrite w = pending.get(i);
            return writes.write(w.method(), w.entry().type(), w.id(), w.body(), w.expectation(), written);
        });
        for (int i = 0; i < encoded.length; i++) {
            RuntimeException failure = encoded[i].failure();
            if (failure instanceof FhirException ex) {
                throw atEntry(pending.get(i).entry().p, ex);
            } else if (failure != null) {
                throw failure;
            }
            plan.writes.set(pending.get(i).position(), encoded[i].value());
        }
    }

    /**
     * The first step of a plan: what each entry does, once its conditional matches and patch base are read. One
     * small method per kind of entry, so that the JIT compiles the common ones without the rest.
     */
    private final class Decisions {
        final Plan plan = new Plan();
        final Map<Integer, String> ids = new HashMap<>();
        final Map<Integer, Resource> bodies = new HashMap<>();
        final Map<Integer, List<String>> deletes = new HashMap<>();
        final Map<Integer, Long> patchedVersions = new HashMap<>();
        final Map<String, String> fullUrls = new HashMap<>();
        private final Map<String, TxEntry> identities = new HashMap<>();
        private final StateReader reader;
        private final String baseUrl;

        Decisions(StateReader reader, String baseUrl) {
            this.reader = reader;
            this.baseUrl = baseUrl;
        }

        /** {@code Type/id} of every resource the plan creates, updates or patches. */
        java.util.Set<String> written(List<TxEntry> ordered) {
            java.util.Set<String> written = new java.util.HashSet<>();
            for (TxEntry e : ordered) {
                Action action = plan.actions.get(e.p.index());
                if (action == Action.CREATE || action == Action.UPDATE || action == Action.PATCH) {
                    written.add(e.type() + "/" + ids.get(e.p.index()));
                }
            }
            return written;
        }

        void decide(TxEntry e) {
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
                throw atEntry(p, ex);
            }
            remember(e);
        }

        private void create(TxEntry e) {
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

        private void update(TxEntry e, String id) {
            plan.actions.put(e.p.index(), Action.UPDATE);
            ids.put(e.p.index(), id);
            holdBody(e);
        }

        /** The body to write, when the entry holds it (a released entry's is read again when staged). */
        private void holdBody(TxEntry e) {
            if (e.reload == null) {
                bodies.put(e.p.index(), e.p.resource());
            }
        }

        private void conditionalUpdate(TxEntry e) {
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

        private void patch(TxEntry e) {
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

        private void delete(TxEntry e, List<String> found) {
            plan.actions.put(e.p.index(), Action.DELETE);
            deletes.put(e.p.index(), found);
        }

        private void conditionalDelete(TxEntry e) {
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
        void stage(TxEntry e, Map<String, String> conditionalTargets, WriteGuard guard, List<PendingWrite> pending) {
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
        private void remember(TxEntry e) {
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
                TxEntry earlier = identities.putIfAbsent(e.type() + "/" + t, e);
                if (earlier != null) {
                    throw atEntry(p, FhirException.invalid("entries " + earlier.p.index() + " and " + p.index()
                            + " both change " + e.type() + "/" + t + "; a transaction may change a resource once"));
                }
            }
        }
    }

    /** A write whose references are resolved, to encode and index. */
    private record PendingWrite(TxEntry entry, int position, WriteMethod method, String id, Resource body,
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

    /** Pre-checks If-Match against the frozen state so a conflict names its entry (the pipeline checks again). */
    private void checkIfMatch(List<TxEntry> ordered, Plan plan) {
        for (TxEntry e : ordered) {
            if (e.ifMatch.isEmpty() || e.p.isRead()) {
                continue;
            }
            for (int w : plan.writeIndexes.getOrDefault(e.p.index(), List.of())) {
                Write write = plan.writes.get(w);
                long actual = store.readCurrent(write.type(), write.id()).filter(v -> !v.deleted())
                        .map(ResourceVersion::version).orElse(0L);
                if (actual != e.ifMatch.getAsLong()) {
                    throw atEntry(e.p, FhirException.preconditionFailed("version conflict on " + write.type() + "/"
                            + write.id() + ": ifMatch asked for version " + e.ifMatch.getAsLong()
                            + (actual == 0 ? " but the resource does not exist" : " but the current is " + actual)));
                }
            }
        }
    }

    private FhirResponse respond(FhirRequest request, List<TxEntry> entries, Plan plan, List<WriteOutcome> outcomes) {
        List<BundleContent.Entry> out = new ArrayList<>(entries.size());
        for (TxEntry e : entries) {
            FhirRequest sub = e.p.toRequest(request);
            Action action = plan.actions.get(e.p.index());
            FhirResponse response;
            switch (action) {
                case READ -> {
                    try {
                        response = api.get().handle(sub, e.p.route());
                    } catch (FhirException ex) {
                        response = dev.fhirbolt.rest.OperationOutcomes.response(ex);
                    }
                }
                case EXISTING -> {
                    String id = plan.existing.get(e.p.index());
                    Optional<ResourceVersion> v = store.readCurrent(e.type(), id).filter(x -> !x.deleted());
                    response = v.isPresent() ? WriteResponses.withRepresentation(sub, 200, v.get(),
                            "ifNoneExist matched " + e.type() + "/" + id + "; nothing was created")
                            : FhirResponse.of(200, ResponseBody.NONE);
                }
                case DELETE -> {
                    List<Integer> mine = plan.writeIndexes.getOrDefault(e.p.index(), List.of());
                    if (mine.size() == 1) {
                        response = WriteResponses.of(sub, outcomes.get(mine.get(0)));
                    } else {
                        response = sub.prefer().returnPreference().orElse(null) == Prefer.Return.OPERATION_OUTCOME
                                ? FhirResponse.of(200, new ResponseBody.Model(dev.fhirbolt.rest.OperationOutcomes
                                        .information("deleted " + mine.size() + " " + e.type())))
                                : FhirResponse.of(204, ResponseBody.NONE);
                    }
                }
                default -> response = WriteResponses.of(sub, outcomes.get(plan.writeIndexes.get(e.p.index()).get(0)));
            }
            out.add(EntryResponses.of(response));
        }
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("transaction-response",
                Optional.empty(), List.of(), out)));
    }

    static FhirException atEntry(ParsedEntry p, FhirException cause) {
        return new FhirException(cause.status(), cause.issueType(), "transaction failed at " + p.describe() + ": "
                + cause.getMessage() + "; nothing was stored", "Bundle.entry[" + p.index() + "]", cause);
    }
}
