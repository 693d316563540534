package dev.fhirbolt.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * The R4 core type hierarchy — every type and resource StructureDefinition with its kind, derivation and base, but
 * no elements — as the FhirContext's validation support.
 *
 * <p>Why: HAPI's FHIRPath engine asks for all StructureDefinitions when it is created; parsing the full definitions
 * took 2–3 s and well over 100 MB of heap at the first write or search after every start. Evaluating an expression
 * only asks a definition's type, kind and base ({@code is}, {@code as}, {@code ofType}), which these outlines answer.
 * They come from {@value #RESOURCE}, which {@code CoreTypeDefinitionsTest} keeps equal to HAPI's full definitions.
 * A profile validator would bring its own, complete support chain.
 */
public final class CoreTypeDefinitions implements IValidationSupport {

    static final String RESOURCE = "core-types.tsv";

    private final FhirContext context;
    private final Map<String, StructureDefinition> byUrl;

    CoreTypeDefinitions(FhirContext context) {
        this.context = context;
        this.byUrl = Collections.unmodifiableMap(load());
    }

    private static Map<String, StructureDefinition> load() {
        Map<String, StructureDefinition> byUrl = new LinkedHashMap<>();
        try (InputStream in = CoreTypeDefinitions.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                StructureDefinition sd = outline(line.split("\t", -1));
                byUrl.put(sd.getUrl(), sd);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return byUrl;
    }

    /** Columns: url, name, type, kind, derivation, abstract, baseDefinition (empty where absent). */
    private static StructureDefinition outline(String[] column) {
        StructureDefinition sd = new StructureDefinition();
        sd.setUrl(column[0]);
        sd.setName(column[1]);
        sd.setType(column[2]);
        sd.setKind(StructureDefinition.StructureDefinitionKind.fromCode(column[3]));
        if (!column[4].isEmpty()) {
            sd.setDerivation(StructureDefinition.TypeDerivationRule.fromCode(column[4]));
        }
        sd.setAbstract(Boolean.parseBoolean(column[5]));
        if (!column[6].isEmpty()) {
            sd.setBaseDefinition(column[6]);
        }
        sd.setStatus(Enumerations.PublicationStatus.ACTIVE);
        sd.setFhirVersion(Enumerations.FHIRVersion._4_0_1);
        return sd;
    }

    /** One line of {@value #RESOURCE} for a full definition (the test writes and compares with it). */
    static String line(StructureDefinition sd) {
        return String.join("\t", sd.getUrl(), sd.getName(), sd.getType(), sd.getKind().toCode(),
                sd.hasDerivation() ? sd.getDerivation().toCode() : "", Boolean.toString(sd.getAbstract()),
                sd.hasBaseDefinition() ? sd.getBaseDefinition() : "");
    }

    /** The core definitions this outline covers: all but the extension definitions, which FHIRPath never asks. */
    static boolean covers(StructureDefinition sd) {
        return !("Extension".equals(sd.getType())
                && sd.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT);
    }

    @Override
    public FhirContext getFhirContext() {
        return context;
    }

    @Override
    public String getName() {
        return "fhirbolt-core-type-outlines";
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends IBaseResource> List<T> fetchAllStructureDefinitions() {
        return (List<T>) new ArrayList<>(byUrl.values());
    }

    @Override
    public IBaseResource fetchStructureDefinition(String url) {
        return byUrl.get(url);
    }
}
