package dev.fhirbolt.auth;

/**
 * A patient offered by the patient picker.
 *
 * @param id        the Patient's logical id (no {@code Patient/} prefix)
 * @param name      a display name
 * @param birthDate the birth date as written in the resource, or null
 * @param gender    the administrative gender, or null
 */
public record PatientChoice(String id, String name, String birthDate, String gender) {
}
