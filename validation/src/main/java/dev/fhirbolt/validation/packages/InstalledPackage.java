package dev.fhirbolt.validation.packages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A package installed on the server, as its record (an ImplementationGuide tagged {@link #TAG_SYSTEM}) says.
 *
 * @param resources how many resources it installed
 */
public record InstalledPackage(String name, String version, Map<String, String> dependencies, int resources) {

    /** The tag system of the ImplementationGuide resources that record installed packages. */
    public static final String TAG_SYSTEM = "https://fhirbolt.dev/fhir/installed-package";

    /** The canonical URL prefix of those records. */
    static final String URL_PREFIX = TAG_SYSTEM + "/";

    public InstalledPackage {
        dependencies = Map.copyOf(dependencies);
    }

    /** The id of the record of a package. */
    public static String recordId(String packageName) {
        String id = "package-" + packageName.replaceAll("[^A-Za-z0-9.-]", "-");
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    /** The package a stored ImplementationGuide records, if it is such a record. */
    public static Optional<InstalledPackage> fromRecord(JsonNode ig) {
        boolean tagged = false;
        for (JsonNode tag : ig.path("meta").path("tag")) {
            tagged |= TAG_SYSTEM.equals(tag.path("system").asText());
        }
        String name = FhirPackage.text(ig, "packageId");
        if (!tagged || name.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> dependencies = new LinkedHashMap<>();
        for (JsonNode d : ig.path("dependsOn")) {
            dependencies.put(d.path("packageId").asText(), d.path("version").asText());
        }
        return Optional.of(new InstalledPackage(name, FhirPackage.text(ig, "version"), dependencies,
                ig.path("definition").path("resource").size()));
    }

    public String reference() {
        return name + "#" + version;
    }
}
