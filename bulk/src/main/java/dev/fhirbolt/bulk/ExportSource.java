package dev.fhirbolt.bulk;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What an export needs from search: compartments and filters (the search module provides it). */
public interface ExportSource {

    /** Resource types that can belong to a Patient compartment (R4 CompartmentDefinition), Patient included. */
    Set<String> patientCompartmentTypes();

    /** Ids of current resources of {@code type} in the compartment of Patient/{@code patientId}. */
    List<String> compartmentIds(String patientId, String type);

    /** Ids of current resources of {@code type} matching a search query string ({@code code=...&date=ge...}). */
    List<String> matchingIds(String type, String query);
}
