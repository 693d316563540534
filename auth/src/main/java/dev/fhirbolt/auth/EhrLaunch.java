package dev.fhirbolt.auth;

import java.time.Instant;
import java.util.List;

/**
 * A launch context created by the EHR launcher (or the admin API) and referred to by the opaque {@code launch}
 * parameter.
 *
 * @param launchId  the value to pass as {@code launch}
 * @param clientId  the app it was created for; authorization requests of other apps cannot use it
 * @param username  the user who launched, or null when created through the admin API
 * @param patient   the patient id, or null
 * @param encounter the encounter id, or null
 * @param launchUrl where to send the browser: the app's launch URL with {@code iss} and {@code launch}
 */
public record EhrLaunch(String launchId, String clientId, String username, String patient, String encounter,
        List<FhirContextItem> fhirContext, Instant expiresAt, String launchUrl) {
}
