package dev.fhirbolt.validation.packages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What installing a package writes: one transaction that puts each of its conformance resources under its own id
 * (an update, so installing again replaces them) and the package's record, an ImplementationGuide naming the package,
 * its dependencies and the resources. Dependencies must be installed already ({@code hl7.fhir.r4.core} is built in).
 *
 * @param transaction the transaction Bundle as JSON
 * @param counts resources by type
 */
public record PackageInstallPlan(FhirPackage pkg, byte[] transaction, Map<String, Integer> counts) {

    /** The core package every R4 package depends on; the server has it built in. */
    public static final String CORE = "hl7.fhir.r4.core";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public PackageInstallPlan {
        counts = Map.copyOf(counts);
    }

    /** Plans the install of a package on a server that has {@code installed}; a problem is a {@link PackageException}. */
    public static PackageInstallPlan of(FhirPackage pkg, Collection<InstalledPackage> installed) {
        checkFhirVersion(pkg);
        checkDependencies(pkg, installed);
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        ObjectNode record = record(pkg);
        ArrayNode listed = record.putObject("definition").putArray("resource");
        Set<String> seen = new HashSet<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (ObjectNode resource : pkg.resources()) {
            String type = FhirPackage.text(resource, "resourceType");
            String id = id(resource);
            if (!seen.add(type + "/" + id)) {
                throw new PackageException("the package holds " + type + "/" + id + " twice");
            }
            ObjectNode copy = resource.deepCopy();
            copy.put("id", id);
            entry(entries, type + "/" + id, copy);
            listed.addObject().putObject("reference").put("reference", type + "/" + id);
            counts.merge(type, 1, Integer::sum);
        }
        entry(entries, "ImplementationGuide/" + InstalledPackage.recordId(pkg.name()), record);
        try {
            return new PackageInstallPlan(pkg, JSON.writeValueAsBytes(bundle), counts);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void entry(ArrayNode entries, String path, ObjectNode resource) {
        ObjectNode e = entries.addObject();
        e.set("resource", resource);
        e.putObject("request").put("method", "PUT").put("url", path);
    }

    private static ObjectNode record(FhirPackage pkg) {
        ObjectNode ig = JSON.createObjectNode().put("resourceType", "ImplementationGuide")
                .put("id", InstalledPackage.recordId(pkg.name()));
        ig.putObject("meta").putArray("tag").addObject().put("system", InstalledPackage.TAG_SYSTEM)
                .put("code", "installed").put("display", "installed FHIR package");
        ig.put("url", InstalledPackage.URL_PREFIX + pkg.name()).put("version", pkg.version())
                .put("name", "Package_" + pkg.name().replaceAll("[^A-Za-z0-9]", "_"))
                .put("title", "FHIR package " + pkg.reference()).put("status", "active")
                .put("packageId", pkg.name());
        ig.putArray("fhirVersion").add("4.0.1");
        if (!pkg.dependencies().isEmpty()) {
            ArrayNode depends = ig.putArray("dependsOn");
            new TreeMap<>(pkg.dependencies()).forEach((name, version) -> depends.addObject()
                    .put("uri", InstalledPackage.URL_PREFIX + name).put("packageId", name).put("version", version));
        }
        return ig;
    }

    private static void checkFhirVersion(FhirPackage pkg) {
        if (!pkg.fhirVersions().isEmpty() && pkg.fhirVersions().stream().noneMatch(v -> v.startsWith("4.0"))) {
            throw new PackageException("package " + pkg.reference() + " is for FHIR " + pkg.fhirVersions()
                    + "; this server speaks FHIR R4 (4.0.1)");
        }
    }

    private static void checkDependencies(FhirPackage pkg, Collection<InstalledPackage> installed) {
        Map<String, String> have = new TreeMap<>();
        installed.forEach(p -> have.put(p.name(), p.version()));
        for (Map.Entry<String, String> d : new TreeMap<>(pkg.dependencies()).entrySet()) {
            String name = d.getKey();
            String wanted = d.getValue();
            if (name.equals(CORE)) {
                if (isExact(wanted) && !wanted.startsWith("4.0")) {
                    throw new PackageException(409, "package " + pkg.reference() + " needs " + CORE + "#" + wanted
                            + "; this server has " + CORE + "#4.0.1 built in");
                }
                continue;
            }
            String version = have.get(name);
            if (version == null) {
                throw new PackageException(409, "package " + pkg.reference() + " needs " + name + "#" + wanted
                        + ", which is not installed: install it first");
            }
            if (isExact(wanted) && !wanted.equals(version)) {
                throw new PackageException(409, "package " + pkg.reference() + " needs " + name + "#" + wanted
                        + ", but " + name + "#" + version + " is installed");
            }
        }
    }

    /** A plain version (1.2.3); anything else (current, 1.x, ranges) accepts the installed version. */
    private static boolean isExact(String version) {
        return version.matches("[0-9]+(\\.[0-9]+)*(-[A-Za-z0-9.]+)?");
    }

    private static String id(ObjectNode resource) {
        String id = FhirPackage.text(resource, "id");
        if (ID.matcher(id).matches()) {
            return id;
        }
        String url = FhirPackage.text(resource, "url");
        if (url.isEmpty()) {
            throw new PackageException("a " + FhirPackage.text(resource, "resourceType")
                    + " in the package has neither a valid id nor a url");
        }
        String tail = url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9\\-.]", "-");
        String hash = Integer.toHexString(url.hashCode());
        String derived = (tail.isEmpty() ? "r" : tail) + "-" + hash;
        return derived.length() <= 64 ? derived : derived.substring(derived.length() - 64);
    }
}
