package dev.fhirbolt.auth;

import java.util.List;

/**
 * The auth server's window onto the FHIR data: what the patient and encounter pickers show and how launch
 * contexts are checked. The app implements it over the FHIR database; implementations must be thread-safe.
 */
public interface PatientDirectory {

    /** Patients whose name contains {@code nameQuery} (case-insensitive; blank lists any), at most {@code limit}. */
    List<PatientChoice> findPatients(String nameQuery, int limit);

    /** Encounters of a patient, most recent first, at most {@code limit}. */
    List<EncounterChoice> encountersOf(String patientId, int limit);

    /** The display name of the Patient with this id, if it exists and has a name (pages show it beside the id). */
    default java.util.Optional<String> patientName(String patientId) {
        return java.util.Optional.empty();
    }

    /** True when a resource with this relative reference ({@code Patient/123}) exists and is not deleted. */
    boolean exists(String reference);

    /** A directory with nothing in it: pickers stay empty and every reference is accepted as existing. */
    static PatientDirectory empty() {
        return new PatientDirectory() {
            @Override
            public List<PatientChoice> findPatients(String nameQuery, int limit) {
                return List.of();
            }

            @Override
            public List<EncounterChoice> encountersOf(String patientId, int limit) {
                return List.of();
            }

            @Override
            public boolean exists(String reference) {
                return true;
            }
        };
    }
}
