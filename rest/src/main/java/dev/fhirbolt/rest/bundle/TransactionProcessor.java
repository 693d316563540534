package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.CommitPlanner;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.rest.Cancellation;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Prefer;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.WriteGuard;
import dev.fhirbolt.rest.WriteResponses;
import dev.fhirbolt.rest.Writes;
import dev.fhirbolt.rest.bundle.TransactionDecisions.PendingWrite;
import dev.fhirbolt.rest.bundle.TransactionPlan.Action;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

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

    FhirResponse process(FhirRequest request, List<ParsedEntry> parsed) {
        List<TransactionEntry> entries = new ArrayList<>(parsed.size());
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
        List<TransactionEntry> entries = new ArrayList<>(bundle.size());
        UniqueFullUrls fullUrls = new UniqueFullUrls();
        Runnable checkpoint = Cancellation.checkpoint(request);
        java.util.function.LongConsumer progress = dev.fhirbolt.rest.BodyProgress.of(request);
        for (int i = 0; i < bundle.size(); i++) {
            checkpoint.run();
            ParsedEntry p = parse(bundle, i, request.baseUrl());
            fullUrls.add(i, p.fullUrl());
            TransactionEntry e = checked(request, p);
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
    private TransactionEntry checked(FhirRequest request, ParsedEntry p) {
        InteractionKind kind = p.route().kind();
        if (!p.isRead() && !isWrite(kind)) {
            throw atEntry(p, FhirException.notSupported("a transaction entry may create, update, patch,"
                    + " delete or read; " + p.method() + " " + p.url() + " is none of these"));
        }
        try {
            TransactionEntry e = new TransactionEntry(p);
            if (!p.isRead()) {
                // authorization of each write on its own, before anything is planned (reads go through the API)
                api.get().filter().checkWrite(p.toRequest(request), p.route(), p.resource());
            }
            return e;
        } catch (FhirException e) {
            throw atEntry(p, e);
        }
    }

    private FhirResponse commit(FhirRequest request, List<TransactionEntry> entries) {
        List<TransactionEntry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparingInt((TransactionEntry e) -> e.p.rank()).thenComparingInt(e -> e.p.index()));

        WriteGuard guard = WriteGuard.of(request);
        StateReader live = new StateReader(store, matcher, guard);
        StateReader.Recording recording = new StateReader.Recording(live);
        Runnable checkpoint = Cancellation.checkpoint(request);
        TransactionPlan prepared;
        try {
            prepared = plan(ordered, recording, request.baseUrl(), guard, checkpoint);
        } catch (FhirException e) {
            if (Cancellation.isAbandoned(e)) {
                throw e;
            }
            prepared = null; // decide authoritatively inside the planner
        }
        TransactionPlan first = prepared;
        var committed = store.commitExclusively(() -> {
            TransactionPlan plan = first != null && recording.unchanged(live) ? first
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

    private TransactionPlan plan(List<TransactionEntry> ordered, StateReader reader, String baseUrl,
            WriteGuard guard, Runnable checkpoint) {
        // 1. decide what each entry does (conditional matches, patch bases)
        TransactionDecisions decided = new TransactionDecisions(reader, baseUrl, maxConditionalDeletes);
        for (TransactionEntry e : ordered) {
            checkpoint.run();
            decided.decide(e);
        }
        // 2. rewrite references in processing order, then encode and index (on every core for large transactions)
        Map<String, String> conditionalTargets = new HashMap<>();
        List<PendingWrite> pending = new ArrayList<>();
        Set<String> written = decided.written(ordered);
        // deletes are judged on the final state: what every write refers to, noted before a batch is let go
        boolean judgeDeletes = deleteGuard.isPresent() && !decided.deletes.isEmpty();
        Map<String, Set<String>> referencesAfter = new HashMap<>();
        for (TransactionEntry e : ordered) {
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

    /** Notes, for each write, the {@code Type/id}s its resource refers to. */
    private static void noteReferences(List<PendingWrite> pending, Map<String, Set<String>> after,
            String baseUrl) {
        for (PendingWrite w : pending) {
            Set<String> targets = new HashSet<>();
            for (String value : References.values(w.body())) {
                targets.add(literal(value, baseUrl));
            }
            after.put(w.entry().type() + "/" + w.id(), targets);
        }
    }

    /** Deleted resources must not be referred to once the transaction is applied (its final state). */
    private static void checkDeletes(dev.fhirbolt.rest.integrity.DeleteGuard guard, List<TransactionEntry> ordered,
            Map<Integer, List<String>> deletes, Map<String, Set<String>> after) {
        Set<String> deleted = new LinkedHashSet<>();
        for (TransactionEntry e : ordered) {
            for (String id : deletes.getOrDefault(e.p.index(), List.of())) {
                deleted.add(e.type() + "/" + id);
            }
        }
        for (TransactionEntry e : ordered) {
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
    private void encode(List<PendingWrite> pending, TransactionPlan plan, Set<String> written) {
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

    /** Pre-checks If-Match against the frozen state so a conflict names its entry (the pipeline checks again). */
    private void checkIfMatch(List<TransactionEntry> ordered, TransactionPlan plan) {
        for (TransactionEntry e : ordered) {
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

    private FhirResponse respond(FhirRequest request, List<TransactionEntry> entries, TransactionPlan plan,
            List<WriteOutcome> outcomes) {
        List<BundleContent.Entry> out = new ArrayList<>(entries.size());
        for (TransactionEntry e : entries) {
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
