package dev.fhirbolt.app;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.validation.ConformanceSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StructureDefinitions stored in the server, by canonical URL, for the validator: loaded at start and kept in
 * step with later commits.
 */
final class StoredProfiles implements ConformanceSource {

    private static final Logger LOG = LoggerFactory.getLogger(StoredProfiles.class);

    private final Map<String, StructureDefinition> byUrl = new ConcurrentHashMap<>();
    private final Map<String, String> urlById = new ConcurrentHashMap<>();
    private volatile Runnable onChange = () -> { };

    static StoredProfiles follow(ResourceStore store) {
        StoredProfiles profiles = new StoredProfiles();
        store.scanType("StructureDefinition", store.lastT(), v -> profiles.put(v.id(), v.json()));
        store.addCommitListener(profiles::apply);
        return profiles;
    }

    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    @Override
    public Optional<StructureDefinition> structureDefinition(String url) {
        return Optional.ofNullable(byUrl.get(url));
    }

    private void apply(List<WriteOutcome> outcomes) {
        boolean changed = false;
        for (WriteOutcome outcome : outcomes) {
            var v = outcome.version();
            if (v == null || !v.type().equals("StructureDefinition")) {
                continue;
            }
            String old = urlById.remove(v.id());
            if (old != null) {
                byUrl.remove(old);
            }
            if (!v.deleted()) {
                put(v.id(), v.json());
            }
            changed = true;
        }
        if (changed) {
            onChange.run();
        }
    }

    private void put(String id, byte[] json) {
        try {
            StructureDefinition sd = (StructureDefinition) ResourceReader.readStored(json);
            if (sd.hasUrl()) {
                byUrl.put(sd.getUrl(), sd);
                urlById.put(id, sd.getUrl());
            }
        } catch (RuntimeException e) {
            LOG.warn("StructureDefinition/{} cannot be used for validation: {}", id, e.getMessage());
        }
    }
}
