package dev.fhirbolt.terminology;

import dev.fhirbolt.database.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Where code systems, value sets and concept maps come from: the ones stored in the server first (they follow every
 * write), then the R4 core ones. Implicit value sets ({@code [system]?fhir_vs}, {@code [system]?fhir_vs=isa/[code]})
 * are made up on the fly.
 */
public final class TerminologyService implements AutoCloseable {

    private static final String IMPLICIT = "?fhir_vs";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TerminologyService.class);

    private final StoredCatalog stored;
    private final CoreTerminology core;
    private final ConceptStore concepts;
    private final AutoCloseable janitor;
    private final ResourceStore store;
    private volatile UploadSweep sweep;

    private TerminologyService(ResourceStore store, StoredCatalog stored, CoreTerminology core, ConceptStore concepts,
            AutoCloseable janitor) {
        this.store = store;
        this.stored = stored;
        this.core = core;
        this.concepts = concepts;
        this.janitor = janitor;
        stored.onCodeSystem(this::indexAhead);
    }

    /**
     * Sweeps the records of abandoned uploads from this node's store ({@link UploadSweep}): notes the uploads stored
     * now (call before the server takes requests), then sweeps in the background at once and every {@code interval}
     * (zero: at start-up only). {@code catchUp} is null on one server; in a cluster it waits until this node has
     * applied the log as it stands.
     */
    public synchronized void sweepUploads(java.time.Duration grace, java.time.Duration interval, Runnable catchUp) {
        if (sweep != null) {
            throw new IllegalStateException("the upload sweep is started already");
        }
        sweep = new UploadSweep(store, concepts, java.time.Clock.systemUTC(), grace, catchUp);
        sweep.start(interval);
    }

    /** The sweep of abandoned uploads, once started (a serving server's). */
    public Optional<UploadSweep> uploadSweep() {
        return Optional.ofNullable(sweep);
    }

    /** One sweep of abandoned uploads now, by the grace rule (the sweep must have been started). */
    public List<UploadSweep.Swept> sweepUploadsNow() {
        UploadSweep s = sweep;
        if (s == null) {
            throw new IllegalStateException("the upload sweep is not started");
        }
        return s.sweep();
    }

    /** Stops the sweep and finishes removing the uploads that are no longer named (before the store closes). */
    @Override
    public void close() {
        UploadSweep s = sweep;
        if (s != null) {
            s.close();
        }
        try {
            janitor.close();
        } catch (Exception e) {
            LOG.warn("closing the terminology service: {}", e.toString());
        }
    }

    /**
     * Indexes a CodeSystem just written on a background thread, so the first request after a large load does not pay
     * for parsing and indexing it (the commit listener itself stays cheap).
     */
    private void indexAhead(String id) {
        Thread.ofVirtual().name("terminology-index-" + id).start(() -> {
            try {
                codeSystemById(id);
            } catch (RuntimeException ex) {
                LOG.warn("CodeSystem/{} could not be indexed ahead: {}", id, ex.toString());
            }
        });
    }

    /** The stored resources of {@code store} and the core ones. */
    public static TerminologyService following(ResourceStore store) {
        ConceptStore concepts = new ConceptStore(store.kv(), store.kv());
        return new TerminologyService(store, StoredCatalog.follow(store), CoreTerminology.get(), concepts,
                UploadJanitor.follow(store, concepts));
    }

    /** The code system {@code url}, at {@code version} when one is given (stored ones only have versions). */
    public Optional<CodeSystemIndex> codeSystem(String url, String version) {
        String canonical = version == null || version.isEmpty() ? url : url + "|" + version;
        Optional<StoredCatalog.Entry> entry = stored.find("CodeSystem", canonical);
        if (entry.isPresent()) {
            return index(entry.get());
        }
        return core.codeSystem(url);
    }

    public Optional<CodeSystemIndex> codeSystemById(String id) {
        return stored.byId("CodeSystem", id).flatMap(this::index);
    }

    private Optional<CodeSystemIndex> index(StoredCatalog.Entry e) {
        return Optional.ofNullable(stored.derived(e, "index", () -> stored.resource(e)
                .map(r -> index((CodeSystem) r)).orElse(null), CodeSystemIndex.class));
    }

    private CodeSystemIndex index(CodeSystem cs) {
        Optional<String> upload = ConceptStore.uploadOf(cs);
        return upload.isPresent() ? concepts.index(cs, upload.get()) : CodeSystemIndex.of(cs);
    }

    /** A value set by canonical URL (optionally {@code |version}), stored, core or implicit, or {@code ValueSet/id}. */
    public Optional<ValueSet> valueSet(String canonical) {
        if (canonical.startsWith("ValueSet/")) {
            return valueSetById(canonical.substring("ValueSet/".length()));
        }
        Optional<StoredCatalog.Entry> entry = stored.find("ValueSet", canonical);
        if (entry.isPresent()) {
            return stored.resource(entry.get()).map(ValueSet.class::cast);
        }
        int implicit = canonical.indexOf(IMPLICIT);
        if (implicit > 0) {
            return implicit(canonical.substring(0, implicit), canonical.substring(implicit + IMPLICIT.length()));
        }
        return core.valueSet(canonical);
    }

    /** A value set stored on the server (uploaded or installed from a package), not a core or implicit one. */
    public Optional<ValueSet> storedValueSet(String canonical) {
        return stored.find("ValueSet", canonical).flatMap(stored::resource).map(ValueSet.class::cast);
    }

    public Optional<ValueSet> valueSetById(String id) {
        return stored.byId("ValueSet", id).flatMap(stored::resource).map(ValueSet.class::cast);
    }

    public Optional<ConceptMap> conceptMap(String canonical) {
        return stored.find("ConceptMap", canonical).flatMap(stored::resource).map(ConceptMap.class::cast);
    }

    public Optional<ConceptMap> conceptMapById(String id) {
        return stored.byId("ConceptMap", id).flatMap(stored::resource).map(ConceptMap.class::cast);
    }

    /** Every stored ConceptMap (to translate with when the request names none). */
    public List<ConceptMap> conceptMaps() {
        List<ConceptMap> out = new ArrayList<>();
        for (StoredCatalog.Entry e : stored.all("ConceptMap")) {
            stored.resource(e).map(ConceptMap.class::cast).ifPresent(out::add);
        }
        return out;
    }

    private Optional<ValueSet> implicit(String system, String rest) {
        ValueSet vs = new ValueSet();
        vs.setUrl(system + IMPLICIT + rest);
        vs.setStatus(Enumerations.PublicationStatus.ACTIVE);
        ValueSet.ConceptSetComponent include = vs.getCompose().addInclude().setSystem(system);
        if (rest.startsWith("=isa/")) {
            include.addFilter().setProperty("concept").setOp(ValueSet.FilterOperator.ISA)
                    .setValue(rest.substring("=isa/".length()));
        } else if (!rest.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(vs);
    }
}
