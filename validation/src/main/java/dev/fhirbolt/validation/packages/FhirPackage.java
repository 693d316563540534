package dev.fhirbolt.validation.packages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A FHIR package as IG publishers produce it (an NPM-style {@code .tgz}): {@code package/package.json} with its name,
 * version, FHIR versions and dependencies, and the resources in {@code package/*.json}. Of those, the conformance
 * resources the server uses are kept ({@link #INSTALLED_TYPES}); the others (examples, the IG's own
 * ImplementationGuide, ...) are counted in {@link #skipped()}.
 *
 * @param dependencies package name to version
 */
public record FhirPackage(String name, String version, List<String> fhirVersions, Map<String, String> dependencies,
        List<ObjectNode> resources, int skipped) {

    /** The resource types a package installs. */
    public static final Set<String> INSTALLED_TYPES = Set.of("StructureDefinition", "ValueSet", "CodeSystem",
            "SearchParameter", "ConceptMap", "NamingSystem");

    /** The largest package accepted, unpacked. */
    static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    public FhirPackage {
        fhirVersions = List.copyOf(fhirVersions);
        dependencies = Map.copyOf(dependencies);
        resources = List.copyOf(resources);
    }

    /** Reads a {@code .tgz}; anything that is not a FHIR package is a {@link PackageException} saying why. */
    public static FhirPackage read(byte[] tgz) {
        Map<String, byte[]> files = TarGz.files(tgz, MAX_UNPACKED_BYTES);
        byte[] manifest = files.get("package/package.json");
        if (manifest == null) {
            throw new PackageException("not a FHIR package: it has no package/package.json");
        }
        JsonNode m = parse("package/package.json", manifest);
        String name = text(m, "name");
        String version = text(m, "version");
        if (name.isEmpty() || version.isEmpty()) {
            throw new PackageException("package/package.json must have a name and a version");
        }
        List<String> fhirVersions = new ArrayList<>();
        m.path("fhirVersions").forEach(v -> fhirVersions.add(v.asText()));
        Map<String, String> dependencies = new LinkedHashMap<>();
        m.path("dependencies").properties().forEach(e -> dependencies.put(e.getKey(), e.getValue().asText()));
        List<ObjectNode> resources = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String path = f.getKey();
            if (!isResourceFile(path)) {
                continue;
            }
            JsonNode r = parse(path, f.getValue());
            if (r instanceof ObjectNode o && INSTALLED_TYPES.contains(text(o, "resourceType"))) {
                resources.add(o);
            } else {
                skipped++;
            }
        }
        return new FhirPackage(name, version, fhirVersions, dependencies, resources, skipped);
    }

    /** {@code name#version}, as package references are written. */
    public String reference() {
        return name + "#" + version;
    }

    private static boolean isResourceFile(String path) {
        if (!path.startsWith("package/") || !path.endsWith(".json") || path.indexOf('/', "package/".length()) >= 0) {
            return false;
        }
        String file = path.substring("package/".length());
        return !file.equals("package.json") && !file.startsWith(".");
    }

    private static JsonNode parse(String path, byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new PackageException(path + " is not JSON: " + e.getMessage());
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? "" : v.asText();
    }
}
