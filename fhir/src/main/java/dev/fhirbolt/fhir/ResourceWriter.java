package dev.fhirbolt.fhir;

import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/** Writes resources in the requested shape; stored JSON goes out untouched whenever the request allows. */
public final class ResourceWriter {

    private static final String SUBSETTED_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    private ResourceWriter() {
    }

    /** Renders stored JSON, parsing it only when the format or a subsetting parameter requires. */
    public static byte[] renderStored(byte[] storedJson, RenderOptions options) {
        if (options.isVerbatimJson()) {
            return storedJson;
        }
        return render(ResourceReader.readStored(storedJson), options);
    }

    public static byte[] render(IBaseResource resource, RenderOptions options) {
        return encode(resource, options).getBytes(StandardCharsets.UTF_8);
    }

    public static String encode(IBaseResource resource, RenderOptions options) {
        IParser parser = parser(options);
        if (resource instanceof org.hl7.fhir.r4.model.Bundle) {
            // _elements and _summary shape the resources a Bundle carries, never the Bundle itself
            parser.setEncodeElementsAppliesToChildResourcesOnly(true);
        }
        return parser.encodeResourceToString(resource);
    }

    /** A parser configured for the options (summary, elements, pretty). */
    public static IParser parser(RenderOptions options) {
        IParser parser = options.format() == FhirFormat.XML ? Fhir.context().newXmlParser()
                : Fhir.context().newJsonParser();
        parser.setPrettyPrint(options.pretty());
        switch (options.summary()) {
            case TRUE -> parser.setSummaryMode(true);
            case TEXT -> parser.setEncodeElements(Set.of("*.text", "*.id", "*.meta", "*.(mandatory)"));
            case DATA -> parser.setSuppressNarratives(true);
            default -> {
            }
        }
        options.elements().ifPresent(elements -> {
            Set<String> withMandatory = new HashSet<>();
            for (String element : elements) {
                withMandatory.add(element.contains(".") ? element : "*." + element);
            }
            withMandatory.add("*.id");
            withMandatory.add("*.meta");
            withMandatory.add("*.(mandatory)");
            parser.setEncodeElements(withMandatory);
        });
        return parser;
    }

    private static void markSubsetted(Resource resource) {
        boolean tagged = resource.getMeta().getTag().stream()
                .anyMatch(c -> SUBSETTED_SYSTEM.equals(c.getSystem()) && "SUBSETTED".equals(c.getCode()));
        if (!tagged) {
            resource.getMeta().addTag(new Coding(SUBSETTED_SYSTEM, "SUBSETTED", "Resource encoded in summary mode"));
        }
    }
}
