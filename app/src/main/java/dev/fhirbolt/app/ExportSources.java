package dev.fhirbolt.app;

import dev.fhirbolt.bulk.ExportSource;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.search.SearchEngine;
import java.util.List;
import java.util.Set;

/** Gives the export module compartments and filters from the search engine. */
final class ExportSources {

    private ExportSources() {
    }

    static ExportSource from(SearchEngine search) {
        Set<String> patientTypes = search.compartmentTypes("Patient");
        return new ExportSource() {
            @Override
            public Set<String> patientCompartmentTypes() {
                return patientTypes;
            }

            @Override
            public List<String> compartmentIds(String patientId, String type) {
                return search.compartmentIds("Patient", patientId, type);
            }

            @Override
            public List<String> matchingIds(String type, String query) {
                return search.matchIds(type, Params.parse(query).asMap(), Integer.MAX_VALUE);
            }
        };
    }
}
