package dev.fhirbolt.auth;

/**
 * One entry of the SMART {@code fhirContext} launch context array. Either {@code reference} (a relative
 * reference such as {@code Appointment/123}) or {@code canonical} is set; {@code type} and {@code role} are
 * optional.
 */
public record FhirContextItem(String reference, String canonical, String type, String role) {

    public static FhirContextItem reference(String reference) {
        return new FhirContextItem(reference, null, null, null);
    }
}
