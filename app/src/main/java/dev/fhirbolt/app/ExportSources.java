package dev.fhirbolt.app;

import dev.fhirbolt.bulk.ExportSource;
import dev.fhirbolt.common.FhirException;
import java.util.List;
import java.util.Set;

/** Adapters giving the export module what it needs from search. */
final class ExportSources {

    private ExportSources() {
    }

    static ExportSource systemOnly() {
        return new ExportSource() {
            @Override
            public Set<String> patientCompartmentTypes() {
                throw FhirException.notSupported("patient-level export needs the search engine");
            }

            @Override
            public List<String> compartmentIds(String patientId, String type) {
                throw FhirException.notSupported("patient-level export needs the search engine");
            }

            @Override
            public List<String> matchingIds(String type, String query) {
                throw FhirException.notSupported("_typeFilter needs the search engine");
            }
        };
    }
}
