package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.validation.ConformanceSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StructureDefinitions, ValueSets and CodeSystems stored in the server (posted, or installed from packages), by
 * canonical URL, for the validator: loaded at start and kept in step with later commits. ValueSets and CodeSystems
 * larger than {@value #MAX_TERMINOLOGY_BYTES} bytes are left out (they are the terminology module's: a LOINC-sized
 * code system is not held parsed in memory).
 */
final class StoredConformance implements ConformanceSource {

    private static final Logger LOG = LoggerFactory.getLogger(StoredConformance.class);
    static final int MAX_TERMINOLOGY_BYTES = 1024 * 1024;
    private static final Set<String> TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem");

    private final Map<String, MetadataResource> byUrl = new ConcurrentHashMap<>();
    private final Map<String, String> urlById = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> { };

    static StoredConformance follow(ResourceStore store) {
        StoredConformance conformance = new StoredConformance();
        for (String type : TYPES) {
            store.scanType(type, store.lastT(), v -> conformance.put(type, v.id(), v.json()));
        }
        store.addCommitListener(conformance::apply);
        return conformance;
    }

    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    @Override
    public Optional<StructureDefinition> structureDefinition(String url) {
        return find("StructureDefinition", url, StructureDefinition.class);
    }

    @Override
    public Optional<ValueSet> valueSet(String url) {
        return find("ValueSet", url, ValueSet.class);
    }

    @Override
    public Optional<CodeSystem> codeSystem(String url) {
        return find("CodeSystem", url, CodeSystem.class);
    }

    @Override
    public List<StructureDefinition> structureDefinitions() {
        List<StructureDefinition> all = new ArrayList<>();
        for (MetadataResource r : byUrl.values()) {
            if (r instanceof StructureDefinition sd) {
                all.add(sd);
            }
        }
        return all;
    }

    private <T extends MetadataResource> Optional<T> find(String type, String url, Class<T> kind) {
        MetadataResource r = byUrl.get(type + " " + url);
        return kind.isInstance(r) ? Optional.of(kind.cast(r)) : Optional.empty();
    }

    private void apply(List<WriteOutcome> outcomes) {
        boolean changed = false;
        for (WriteOutcome outcome : outcomes) {
            var v = outcome.version();
            if (v == null || !TYPES.contains(v.type())) {
                continue;
            }
            String old = urlById.remove(v.type() + "/" + v.id());
            if (old != null) {
                byUrl.remove(old);
            }
            if (!v.deleted()) {
                put(v.type(), v.id(), v.json());
            }
            changed = true;
        }
        if (changed) {
            onChange.run();
        }
    }

    private void put(String type, String id, byte[] json) {
        if (!type.equals("StructureDefinition") && json.length > MAX_TERMINOLOGY_BYTES) {
            return;
        }
        try {
            MetadataResource r = (MetadataResource) ResourceReader.readStored(json);
            if (r.hasUrl()) {
                byUrl.put(type + " " + r.getUrl(), r);
                urlById.put(type + "/" + id, type + " " + r.getUrl());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}/{} cannot be used for validation: {}", type, id, e.getMessage());
        }
    }
}
