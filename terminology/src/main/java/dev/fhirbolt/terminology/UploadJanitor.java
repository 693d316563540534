package dev.fhirbolt.terminology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteOutcome;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Removes an upload's concepts and index once no CodeSystem names it any more: when a commit updates or deletes a
 * CodeSystem whose previous version named an upload that the new version does not (a DELETE, a plain PUT, a second
 * {@code $upload}). Each node does this for itself, on its own store, as it applies the commit (every node of a
 * cluster applies the same commits), on one background thread so that the commit listener stays cheap. A reader
 * still working on the old version meanwhile gets a 409 asking it to repeat the request.
 */
final class UploadJanitor implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UploadJanitor.class);

    private final ResourceStore store;
    private final ConceptStore concepts;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "terminology-upload-cleanup");
        t.setDaemon(true);
        return t;
    });

    private UploadJanitor(ResourceStore store, ConceptStore concepts) {
        this.store = store;
        this.concepts = concepts;
    }

    static UploadJanitor follow(ResourceStore store, ConceptStore concepts) {
        UploadJanitor janitor = new UploadJanitor(store, concepts);
        store.addCommitListener(janitor::apply);
        return janitor;
    }

    private void apply(List<WriteOutcome> outcomes) {
        for (WriteOutcome o : outcomes) {
            ResourceVersion v = o.version();
            if (v != null && v.type().equals("CodeSystem")
                    && (o.kind() == WriteOutcome.Kind.UPDATED || o.kind() == WriteOutcome.Kind.DELETED)) {
                try {
                    worker.execute(() -> clean(v));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    LOG.warn("CodeSystem/{} was written while the server stopped: a replaced upload may be left",
                            v.id());
                }
            }
        }
    }

    private void clean(ResourceVersion now) {
        try {
            Optional<String> before = store.readAsOf("CodeSystem", now.id(), now.t() - 1)
                    .flatMap(b -> uploadOf(b.json()));
            Optional<String> after = now.deleted() ? Optional.empty() : uploadOf(now.json());
            if (before.isPresent() && !before.equals(after)) {
                concepts.deleteLocally(before.get());
                LOG.info("CodeSystem/{}: the concepts of upload {} are removed (no longer named)", now.id(),
                        before.get());
            }
        } catch (RuntimeException e) {
            LOG.warn("CodeSystem/{}: a replaced upload could not be removed: {}", now.id(), e.toString());
        }
    }

    /** The upload a stored CodeSystem's JSON names in its top-level extensions, read without parsing the rest. */
    static Optional<String> uploadOf(byte[] json) {
        if (json == null) {
            return Optional.empty();
        }
        try (JsonParser p = ConceptRecords.JSON.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && name.equals("extension")) {
                    for (JsonNode e : (JsonNode) ConceptRecords.JSON.readTree(p)) {
                        if (ConceptStore.UPLOAD_EXTENSION.equals(e.path("url").asText())) {
                            return Optional.of(e.path("valueString").asText()).filter(ConceptStore::isUploadId);
                        }
                    }
                    return Optional.empty();
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Finishes the removals already asked for (the store must still be open). */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.MINUTES)) {
                LOG.warn("replaced uploads are still being removed; the rest is left behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
