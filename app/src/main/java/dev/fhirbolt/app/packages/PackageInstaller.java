package dev.fhirbolt.app.packages;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.rest.FhirApi;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.validation.packages.FhirPackage;
import dev.fhirbolt.validation.packages.InstalledPackage;
import dev.fhirbolt.validation.packages.PackageException;
import dev.fhirbolt.validation.packages.PackageInstallPlan;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Installs FHIR packages through the FHIR API: the package's conformance resources and its record are written in one
 * transaction, so they are validated, indexed and replicated like any write, and the server's followers of those
 * types (search parameters with their reindex, the validator's profiles) take them up from the commit. Installs run
 * one at a time, so a dependency installed just before is seen.
 */
public final class PackageInstaller {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASE = "http://localhost/fhir";

    private final FhirApi api;
    private final ResourceStore store;

    public PackageInstaller(FhirApi api, ResourceStore store) {
        this.api = api;
        this.store = store;
    }

    /** Installs a {@code .tgz}; a package that cannot be installed is a {@link FhirException} saying why. */
    public synchronized PackageInstallPlan install(byte[] tgz) {
        PackageInstallPlan plan;
        try {
            plan = PackageInstallPlan.of(FhirPackage.read(tgz), list());
        } catch (PackageException e) {
            throw new FhirException(e.status(), e.status() == 409 ? IssueType.NOT_FOUND : IssueType.INVALID,
                    e.getMessage());
        }
        FhirRequest request = new FhirRequest("POST", "", Params.empty(),
                Map.of("Content-Type", List.of("application/fhir+json"), "Prefer", List.of("return=minimal")),
                plan.transaction(), BASE, "package-install", Map.of());
        FhirResponse response;
        try {
            response = api.handle(request);
        } catch (FhirException e) {
            throw new FhirException(e.status(), e.issueType(), "package " + plan.pkg().reference()
                    + " was not installed: " + e.getMessage(), e.issues());
        }
        if (response.status() >= 300) {
            throw new FhirException(response.status(), IssueType.PROCESSING, "package " + plan.pkg().reference()
                    + " was not installed (status " + response.status() + ")");
        }
        return plan;
    }

    /** The installed packages, by name. */
    public List<InstalledPackage> list() {
        List<InstalledPackage> found = new ArrayList<>();
        store.scanType("ImplementationGuide", store.lastT(), v -> {
            try {
                InstalledPackage.fromRecord(JSON.readTree(v.json())).ifPresent(found::add);
            } catch (IOException e) {
                throw new IllegalStateException("ImplementationGuide/" + v.id() + " is not JSON", e);
            }
        });
        found.sort(Comparator.comparing(InstalledPackage::name));
        return found;
    }
}
