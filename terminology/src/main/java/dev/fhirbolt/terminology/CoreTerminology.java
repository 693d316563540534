package dev.fhirbolt.terminology;

import dev.fhirbolt.fhir.Fhir;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.MetadataResource;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CodeSystems and ValueSets of the R4 specification (the bundles in hapi-fhir-validation-resources-r4 /
 * structures: FHIR's own, HL7 v3's ({@code /v3-} in the URL) and v2's ({@code /v2-})). Nothing is read until the
 * first lookup that needs a bundle, so start-up does not pay for it; each bundle is parsed once (1-3 s) and kept.
 */
public final class CoreTerminology {

    private static final Logger LOG = LoggerFactory.getLogger(CoreTerminology.class);
    private static final List<String> BUNDLES = List.of(
            "/org/hl7/fhir/r4/model/valueset/valuesets.xml",
            "/org/hl7/fhir/r4/model/valueset/v3-codesystems.xml",
            "/org/hl7/fhir/r4/model/valueset/v2-tables.xml");
    private static final CoreTerminology INSTANCE = new CoreTerminology();

    private final Map<String, MetadataResource> byKey = new ConcurrentHashMap<>();
    private final Map<String, CodeSystemIndex> indexes = new ConcurrentHashMap<>();
    private final java.util.Set<String> read = new java.util.HashSet<>();

    private CoreTerminology() {
    }

    /** The one instance: the core definitions are the same for everyone. */
    public static CoreTerminology get() {
        return INSTANCE;
    }

    public Optional<CodeSystemIndex> codeSystem(String url) {
        return find("CodeSystem", url).map(cs -> indexes.computeIfAbsent(url, u -> CodeSystemIndex.of((CodeSystem) cs)));
    }

    public Optional<ValueSet> valueSet(String url) {
        return find("ValueSet", url).map(ValueSet.class::cast);
    }

    /** Reads the bundles now (in the background after start-up, so the first request does not wait). */
    public void warm() {
        find("ValueSet", "urn:fhirbolt:none");
    }

    private Optional<MetadataResource> find(String type, String canonical) {
        int bar = canonical.indexOf('|');
        String url = bar < 0 ? canonical : canonical.substring(0, bar);
        MetadataResource hit = byKey.get(type + " " + url);
        if (hit != null) {
            return Optional.of(hit);
        }
        String bundle = url.contains("/v3-") ? BUNDLES.get(1) : url.contains("/v2-") ? BUNDLES.get(2) : BUNDLES.get(0);
        synchronized (this) {
            if (read.add(bundle)) {
                read(bundle);
            }
        }
        return Optional.ofNullable(byKey.get(type + " " + url));
    }

    private void read(String path) {
        long start = System.nanoTime();
        try (InputStream in = CoreTerminology.class.getResourceAsStream(path)) {
            if (in == null) {
                LOG.warn("the core terminology bundle {} is not on the class path", path);
                return;
            }
            Bundle bundle = Fhir.context().newXmlParser()
                    .parseResource(Bundle.class, new InputStreamReader(in, StandardCharsets.UTF_8));
            for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
                Resource r = e.getResource();
                if (r instanceof MetadataResource m && m.hasUrl()) {
                    byKey.putIfAbsent(r.fhirType() + " " + m.getUrl(), m);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("read the core terminology bundle {} in {} ms", path, (System.nanoTime() - start) / 1_000_000);
    }
}
