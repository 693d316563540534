package dev.fhirbolt.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * What references a resource (the resource view's "Referenced by", loaded after the view has painted): one search per
 * reference search parameter that may point at the resource's type ({@code Condition?subject=Patient/1&_count=5&
 * _total=accurate}, answered from the reference index, not a scan), with the user's token. Groups by type and
 * parameter with the count, the first few as links and a link to the search that lists them all. Parameters whose
 * search the token may not make are named, not shown.
 */
final class ReferrersPage {

    /** Referrers listed per parameter; the rest is one click away (the search). */
    static final int SHOWN = 5;
    /** Searches run at once, so that one page does not take every server thread. */
    private static final int PARALLEL = 8;
    private static final ExecutorService POOL = Executors.newVirtualThreadPerTaskExecutor();

    private final ServerStatus status;
    private final Capabilities capabilities;
    private final TypeCounts counts;
    private final Semaphore permits = new Semaphore(PARALLEL);
    /**
     * Answers kept per access and resource for {@value #KEEP_SECONDS} s, and shared while they are being made: going
     * back to a resource, or opening it again while its referrers are still being searched, asks nothing more.
     */
    static final long KEEP_SECONDS = 30;
    private static final int KEPT = 64;

    private record Kept(CompletableFuture<Views.Referrers> view, long madeNanos) {
    }

    private final Map<String, Kept> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Kept> eldest) {
            return size() > KEPT;
        }
    };

    ReferrersPage(ServerStatus status, Capabilities capabilities, TypeCounts counts) {
        this.status = status;
        this.capabilities = capabilities;
        this.counts = counts;
    }

    Rendered show(Visit v, String type, String id) {
        if (!ResourcePage.TYPE.matcher(type).matches() || !ResourcePage.ID.matcher(id).matches()) {
            throw new ConsoleException(400, "Not a resource address: " + type + "/" + id);
        }
        v.fhir().get("/" + type + "/" + id); // an unknown type or resource is a 404 page
        Views.Frame frame = v.frame("What references " + type + "/" + id, "search");
        return Rendered.streamed(frame, "referrers.jte", () -> view(v, frame, type, id));
    }

    /** The answer kept (or being made) for this access and resource, else the searches, made now. */
    private Views.Referrers view(Visit v, Views.Frame frame, String type, String id) {
        String key = TypeCounts.access(v) + "\n" + type + "/" + id;
        CompletableFuture<Views.Referrers> mine = new CompletableFuture<>();
        CompletableFuture<Views.Referrers> shared;
        synchronized (kept) {
            Kept k = kept.get(key);
            boolean fresh = k != null && (!k.view().isDone()
                    || System.nanoTime() - k.madeNanos() < KEEP_SECONDS * 1_000_000_000L);
            if (fresh && !k.view().isCompletedExceptionally()) {
                shared = k.view();
            } else {
                kept.put(key, new Kept(mine, System.nanoTime()));
                shared = null;
            }
        }
        if (shared == null) {
            try {
                mine.complete(search(v, frame, type, id));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
                synchronized (kept) {
                    kept.remove(key);
                }
                throw e;
            }
            shared = mine;
        }
        Views.Referrers r;
        try {
            r = shared.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
        return new Views.Referrers(frame, type, id, r.groups(), r.refused(), r.parameters(), r.searched());
    }

    private Views.Referrers search(Visit v, Views.Frame frame, String type, String id) {
        // the dashboard's counts (kept per access): types without resources, or that the user may not read, are
        // not asked (of 242 parameters that may point at a Patient, the Synthea data has resources for about 30)
        Map<String, Long> known = counts.counts(TypeCounts.access(v), v.fhir(), capabilities.types(v.fhir()),
                TypeCounts.SECOND_LOOK_MILLIS);
        List<String> refused = new ArrayList<>();
        List<ServerStatus.ReferenceParam> params = new ArrayList<>();
        int asked = 0;
        for (ServerStatus.ReferenceParam p : status.referencesTo(type)) {
            Long count = known.get(p.sourceType());
            if (count != null && count < 0 && !refused.contains(p.sourceType())) {
                refused.add(p.sourceType());
            }
            if (count == null || count > 0) {
                params.add(p);
            }
            asked++;
        }
        String target = type + "/" + id;
        List<CompletableFuture<Views.ReferrerParam>> searches = new ArrayList<>();
        for (ServerStatus.ReferenceParam p : params) {
            searches.add(CompletableFuture.supplyAsync(() -> search(v, p, target), POOL));
        }
        return collect(frame, type, id, params, searches, refused, asked);
    }

    /** The page's content once the searches have answered. */
    private static Views.Referrers collect(Views.Frame frame, String type, String id,
            List<ServerStatus.ReferenceParam> params, List<CompletableFuture<Views.ReferrerParam>> searches,
            List<String> refused, int parameters) {
        Map<String, List<Views.ReferrerParam>> byType = new LinkedHashMap<>();
        for (int i = 0; i < searches.size(); i++) {
            Views.ReferrerParam found;
            try {
                found = searches.get(i).join();
            } catch (java.util.concurrent.CompletionException e) {
                if (!(e.getCause() instanceof ConsoleException)) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
                if (!refused.contains(params.get(i).sourceType())) {
                    refused.add(params.get(i).sourceType());
                }
                continue;
            }
            if (found.total() > 0) {
                byType.computeIfAbsent(params.get(i).sourceType(), t -> new ArrayList<>()).add(found);
            }
        }
        List<Views.ReferrerGroup> groups = new ArrayList<>();
        byType.forEach((t, list) -> groups.add(new Views.ReferrerGroup(t,
                list.stream().mapToLong(Views.ReferrerParam::total).max().orElse(0), list)));
        return new Views.Referrers(frame, type, id, groups, refused, parameters, params.size());
    }

    /** One parameter's search: its total and first {@link #SHOWN} referrers. */
    private Views.ReferrerParam search(Visit v, ServerStatus.ReferenceParam p, String target) {
        String query = p.code() + "=" + URLEncoder.encode(target, StandardCharsets.UTF_8);
        permits.acquireUninterruptibly();
        JsonNode bundle;
        try {
            bundle = v.fhir().get("/" + p.sourceType() + "?" + query + "&_count=" + SHOWN + "&_total=accurate");
        } finally {
            permits.release();
        }
        List<Views.Link> first = new ArrayList<>();
        for (JsonNode e : bundle.path("entry")) {
            JsonNode r = e.path("resource");
            if (!e.path("search").path("mode").asText("match").equals("match")) {
                continue;
            }
            String ref = r.path("resourceType").asText() + "/" + r.path("id").asText();
            String label = Summaries.text(r);
            String when = Summaries.date(r);
            first.add(new Views.Link(ref + (label.isEmpty() ? "" : " · " + label) + (when.isEmpty() ? "" : " · "
                    + when), "/console/resource/" + ref));
        }
        long total = bundle.path("total").asLong(first.size());
        return new Views.ReferrerParam(p.code(), total, first, "/console/search/" + p.sourceType() + "?" + query);
    }

    /** The page's address for a resource (also what the resource view's script fetches). */
    static String href(String type, String id) {
        return String.format(Locale.ROOT, "/console/referrers/%s/%s", type, id);
    }
}
